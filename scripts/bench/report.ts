import type { GroupAccuracy } from './accuracy.ts';
import type { IdentifyOverhead } from './overhead.ts';
import { addStrangers, emptyStrangers, fraction, type NamingTally, type StrangerTally } from './tally.ts';
import type { EnrollRate } from './throughput.ts';

/** Per group, 5 photos per member enrolled: named right at least, wrong at most, strangers named at most. */
export interface NamingTargets {
  top1: number;
  wrong: number;
  strangers: number;
}

export const GROUP_TARGETS: Readonly<Record<string, NamingTargets>> = {
  BLACKPINK: { top1: 0.95, wrong: 0.01, strangers: 0.03 },
  'LE SSERAFIM': { top1: 0.85, wrong: 0.01, strangers: 0.03 },
};

export const TARGETS = {
  crossSourceWrong: 0.01,
  /** Two photos per member: named right is reported, not targeted. */
  fewShots: { wrong: 0.02, strangers: 0.03 },
  identifyRatio: 1.25,
  enrollScaling: 1.8,
} as const;

export interface ReportRow {
  measure: string;
  value: number;
  shown: string;
  target: string;
  result: 'PASS' | 'MISS' | '';
  notes: string;
}

export interface ReportHeader {
  date: string;
  backend: string;
  workers: number;
  embedder: string;
  node: string;
  /** The checked-out commit, `+changes` when tracked files differ from it. */
  commit: string;
  splits: number;
  seed: number;
  shots: number;
  quick: boolean;
  cpus: number;
  /** 1-minute load averages: other processes on the machine skew the timing rows. */
  load: { start: number; beforeTiming: number; end: number };
  /** Wall-clock seconds of each phase. */
  phases: Record<string, number>;
}

const percent = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(1)}%`);

function verdict(value: number, target: number, direction: 'atLeast' | 'atMost'): 'PASS' | 'MISS' {
  if (Number.isNaN(value)) return 'MISS';
  return (direction === 'atLeast' ? value >= target : value <= target) ? 'PASS' : 'MISS';
}

export function rate(measure: string, part: number, whole: number, target: number | null, direction: 'atLeast' | 'atMost', notes: string): ReportRow {
  const value = fraction(part, whole);
  const sign = direction === 'atLeast' ? '≥' : '≤';
  return {
    measure,
    value,
    shown: `${percent(value)} (${part}/${whole})`,
    target: target === null ? '' : `${sign} ${percent(target)}`,
    result: target === null ? '' : verdict(value, target, direction),
    notes,
  };
}

function namingRows(label: string, tally: NamingTally, splitNote: string, targets: Partial<NamingTargets>): ReportRow[] {
  return [
    rate(`${label}: top-1`, tally.correct, tally.photos, targets.top1 ?? null, 'atLeast', splitNote),
    rate(`${label}: wrong`, tally.wrong, tally.photos, targets.wrong ?? null, 'atMost', 'named as another member'),
    rate(`${label}: unnamed`, tally.unnamed, tally.photos, null, 'atMost', `said unknown or no face (no face: ${tally.noFace}; best candidate was right in ${tally.unnamedTopRight})`),
    rate(`${label}: no face found`, tally.noFace, tally.photos, null, 'atMost', 'included in unnamed'),
  ];
}

function strangerRows(accuracy: GroupAccuracy): ReportRow[] {
  const together = emptyStrangers();
  const rows = Object.entries(accuracy.strangers).map(([label, tally]: [string, StrangerTally]) => {
    addStrangers(together, tally);
    return rate(`${accuracy.group} strangers named: ${label}`, tally.named, tally.faces, null, 'atMost', `faces over all splits; ${tally.noFace} photo(s) without a face left out`);
  });
  rows.push(rate(`${accuracy.group} strangers named: all`, together.named, together.faces, GROUP_TARGETS[accuracy.group]?.strangers ?? null, 'atMost', 'the sets above together'));
  return rows;
}

export function accuracyRows(accuracy: GroupAccuracy): ReportRow[] {
  const splits = accuracy.top1BySplit;
  const range = `${splits.length} splits, ${accuracy.enrolledPerSplit} enrolled per split; per split ${percent(Math.min(...splits))}–${percent(Math.max(...splits))}`;
  const short = accuracy.shortMembers.length > 0 ? `; too few enrollable photos: ${accuracy.shortMembers.join(', ')}` : '';
  const rows = namingRows(`${accuracy.group} held-out`, accuracy.heldOut, range + short, GROUP_TARGETS[accuracy.group] ?? {});
  if (accuracy.crossSource) rows.push(...namingRows(`${accuracy.group} cross-source`, accuracy.crossSource, 'other sources, same people, same models', { wrong: TARGETS.crossSourceWrong }).slice(0, 3));
  return [...rows, ...strangerRows(accuracy)];
}

export function enrollRows(oneWorker: EnrollRate, twoWorkers: EnrollRate): ReportRow[] {
  const scaling = twoWorkers.photosPerSecond / oneWorker.photosPerSecond;
  const rounds = (entry: EnrollRate): string => entry.roundSeconds.map((seconds) => `${seconds.toFixed(1)} s`).join(', ');
  const describe = (entry: EnrollRate): string => `${entry.photos} photos, ${entry.accepted} accepted; fastest of rounds ${rounds(entry)}`;
  return [
    { measure: 'Enroll throughput, 1 worker', value: oneWorker.photosPerSecond, shown: `${oneWorker.photosPerSecond.toFixed(2)} photos/s`, target: '', result: '', notes: describe(oneWorker) },
    { measure: 'Enroll throughput, 2 workers', value: twoWorkers.photosPerSecond, shown: `${twoWorkers.photosPerSecond.toFixed(2)} photos/s`, target: '', result: '', notes: describe(twoWorkers) },
    { measure: 'Enroll speed-up, 2 workers / 1', value: scaling, shown: `${scaling.toFixed(2)}×`, target: `≥ ${TARGETS.enrollScaling}×`, result: verdict(scaling, TARGETS.enrollScaling, 'atLeast'), notes: 'real enrollPhotos, memory store, after a warm-up' },
  ];
}

export function identifyRows(overhead: IdentifyOverhead): ReportRow[] {
  const basis = `${overhead.images.length} images, median of ${overhead.repeats}, ${overhead.workers} worker`;
  return [
    {
      measure: 'Identify time / bare detector + landmarks + descriptor',
      value: overhead.ratio,
      shown: `${overhead.ratio.toFixed(2)}×`,
      target: `≤ ${TARGETS.identifyRatio}×`,
      result: verdict(overhead.ratio, TARGETS.identifyRatio, 'atMost'),
      notes: `${overhead.identifyMs.toFixed(0)} ms vs ${overhead.bareMs.toFixed(0)} ms summed; ${basis}; worst image ${overhead.worstImageRatio.toFixed(2)}×`,
    },
    {
      measure: 'Identify with render=true / bare',
      value: overhead.renderRatio,
      shown: `${overhead.renderRatio.toFixed(2)}×`,
      target: '',
      result: '',
      notes: `${overhead.renderMs.toFixed(0)} ms summed (${(overhead.renderMs / overhead.images.length).toFixed(0)} ms per image)`,
    },
  ];
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|');

export interface ReportColumn {
  label: string;
  rows: readonly ReportRow[];
}

/**
 * Embedders side by side: one line per measure, each column's value; the target, and the verdict and notes of the
 * first column (the default embedder).
 */
export function comparisonTable(columns: readonly ReportColumn[]): string[] {
  const measures = [...new Set(columns.flatMap((column) => column.rows.map((row) => row.measure)))];
  const [first] = columns;
  return [
    `| Measure | ${columns.map((column) => column.label).join(' | ')} | Target | Result | Notes (${first?.label ?? ''}) |`,
    `|---|${columns.map(() => '---|').join('')}---|---|---|`,
    ...measures.map((measure) => {
      const cells = columns.map((column) => column.rows.find((row) => row.measure === measure));
      const lead = cells.find((cell) => cell !== undefined);
      const own = cells[0];
      return `| ${[measure, ...cells.map((cell) => cell?.shown ?? ''), lead?.target ?? '', own?.result ?? '', own?.notes ?? lead?.notes ?? ''].map(escapeCell).join(' | ')} |`;
    }),
  ];
}

export function markdownReport(header: ReportHeader, rows: readonly ReportRow[]): string {
  const lines = [
    '# idolens benchmark',
    '',
    `Date ${header.date} · backend ${header.backend} · ${header.workers} workers for analysis · embedder ${header.embedder} · node ${header.node} · commit ${header.commit}`,
    `Splits ${header.splits} · seed ${header.seed} · shots ${header.shots}${header.quick ? ' · QUICK run (not a verdict)' : ''}`,
    `${header.cpus} CPUs · load average ${header.load.start.toFixed(1)} at start, ${header.load.beforeTiming.toFixed(1)} before timing, ${header.load.end.toFixed(1)} at end · ` +
      Object.entries(header.phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(0)} s`).join(', '),
    ...(rows.length === 0 ? [] : [
      '',
      '| Measure | Value | Target | Result | Notes |',
      '|---|---|---|---|---|',
      ...rows.map((row) => `| ${[row.measure, row.shown, row.target, row.result, row.notes].map(escapeCell).join(' | ')} |`),
    ]),
  ];
  return lines.join('\n');
}
