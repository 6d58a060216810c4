import { nameKey } from './names.ts';

/**
 * Looser than the lookup key: without accents, spaces, dashes, underscores, dots and apostrophes, and with the
 * usual spellings of one Korean sound made one ("Rosé" ~ "rose", "Chae-young" ~ "chaeyoung", "Jisoo" ~ "Jisu").
 */
export function looseKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-_.'’]/gu, '')
    .replace(/oo|ou/g, 'u')
    .replace(/eo/g, 'o')
    .replace(/ee/g, 'i')
    .replace(/ae/g, 'e');
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** How many edits still make a likely typo of a name this long: one for short names, two from six letters, three from ten. */
function allowedEdits(length: number): number {
  return length < 6 ? 1 : length < 10 ? 2 : 3;
}

/**
 * The names among `known` that `asked` is probably a mistyping of, closest first (at most `max`): the same but for
 * case, spaces, dashes, accents or romanisation, or a few typing slips away. Never `asked` itself.
 */
export function closeNames(asked: string, known: readonly string[], max = 3): string[] {
  const askedKey = nameKey(asked);
  const askedLoose = looseKey(asked);
  const scored = known.flatMap((name) => {
    if (nameKey(name) === askedKey) return [];
    const loose = looseKey(name);
    const distance = editDistance(askedLoose, loose);
    return distance <= allowedEdits(Math.min(askedLoose.length, loose.length)) ? [{ name, distance }] : [];
  });
  return scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)).slice(0, max).map((entry) => entry.name);
}

/** "Kazuha", "Kazuha or Sakura", "Kazuha, Sakura or Eunchae". */
export function orList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}
