/**
 * Lineup constraint: in one picture each member appears at most once. Given every face's score for every
 * member (higher is better, only scores ≥ minScore are admissible), pick the assignment with the best total score
 * (Hungarian algorithm on a square cost matrix padded with "unknown" columns). Returns the member index per face, or null.
 */
export function assignLineup(scores: number[][], minScore: number): (number | null)[] {
  const faces = scores.length;
  if (faces === 0) return [];
  const members = scores[0]?.length ?? 0;
  const size = faces + members;
  const forbidden = 1e6;
  // Columns 0..members-1 are members; the remaining `faces` columns are per-face "unknown" slots costing 0.
  const cost: number[][] = Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => {
    if (row >= faces) return 0;
    if (column >= members) return 0;
    const score = scores[row]?.[column] ?? -Infinity;
    return score >= minScore ? -score : forbidden;
  }));
  const assignment = hungarian(cost);
  return Array.from({ length: faces }, (_, face) => {
    const column = assignment[face] ?? -1;
    return column >= 0 && column < members && (cost[face]?.[column] ?? forbidden) < forbidden ? column : null;
  });
}

/** Minimum-cost perfect matching on a square matrix (Kuhn–Munkres with potentials, O(n³)). Returns column per row. */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  const rowPotential = new Array<number>(n + 1).fill(0);
  const columnPotential = new Array<number>(n + 1).fill(0);
  const matchOfColumn = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let row = 1; row <= n; row += 1) {
    matchOfColumn[0] = row;
    let column0 = 0;
    const minSlack = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[column0] = true;
      const row0 = matchOfColumn[column0] ?? 0;
      let delta = Infinity;
      let column1 = 0;
      for (let column = 1; column <= n; column += 1) {
        if (used[column]) continue;
        const reduced = (cost[row0 - 1]?.[column - 1] ?? 0) - (rowPotential[row0] ?? 0) - (columnPotential[column] ?? 0);
        if (reduced < (minSlack[column] ?? Infinity)) {
          minSlack[column] = reduced;
          way[column] = column0;
        }
        if ((minSlack[column] ?? Infinity) < delta) {
          delta = minSlack[column] ?? Infinity;
          column1 = column;
        }
      }
      for (let column = 0; column <= n; column += 1) {
        if (used[column]) {
          const matched = matchOfColumn[column] ?? 0;
          rowPotential[matched] = (rowPotential[matched] ?? 0) + delta;
          columnPotential[column] = (columnPotential[column] ?? 0) - delta;
        } else {
          minSlack[column] = (minSlack[column] ?? 0) - delta;
        }
      }
      column0 = column1;
    } while ((matchOfColumn[column0] ?? 0) !== 0);
    do {
      const column1 = way[column0] ?? 0;
      matchOfColumn[column0] = matchOfColumn[column1] ?? 0;
      column0 = column1;
    } while (column0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let column = 1; column <= n; column += 1) {
    const row = matchOfColumn[column] ?? 0;
    if (row > 0) result[row - 1] = column - 1;
  }
  return result;
}
