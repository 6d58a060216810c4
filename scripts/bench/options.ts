import { parseArgs } from 'node:util';

export interface BenchOptions {
  splits: number;
  seed: number;
  shots: number;
  /** Fewer splits, photos and images: a smoke run, not a verdict. */
  quick: boolean;
  /** The first N photos (by name) of every identity; all of them unless --quick. */
  photosPerIdentity: number;
  /** Photos enrolled per timed enrollment (the same photos for 1 and 2 workers). */
  enrollPhotos: number;
  /** Timed enrollments per worker count; the fastest counts. */
  enrollRounds: number;
  /** Images timed by the identify-overhead section. */
  identifyImages: number;
  identifyRepeats: number;
  /** Which sections run: the photo measures, the clip measures, the job queue. */
  sections: { photos: boolean; video: boolean; queue: boolean };
  /** Identify jobs timed per worker-process run, and interleaved rounds of 1 and 2 processes. */
  queueJobs: number;
  queueRounds: number;
}

export const USAGE = `Usage: npm run bench -- [--splits N] [--seed S] [--shots K] [--quick] [--video-only | --no-video | --queue-only | --no-queue]

  --splits N  random enroll/test splits per group (default 10; 3 with --quick)
  --seed S    seed of the splits (default 1)
  --shots K   photos enrolled per member (default 5)
  --quick     a fast smoke run: 3 splits, 12 photos per identity, fewer enroll photos and identify images
  --video-only  only the clip measures (annotate vs plain re-encode at 1080p and 720p, memory, small faces, names)
  --no-video    no clip measures
  --queue-only  only the job-queue measures (overhead per identify job, 1 vs 2 worker processes; needs Redis)
  --no-queue    no job-queue measures`;

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number ≥ 0, got "${raw}"\n\n${USAGE}`);
  return value;
}

/** Returns null when help was asked for. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      splits: { type: 'string' },
      seed: { type: 'string' },
      shots: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'video-only': { type: 'boolean', default: false },
      'no-video': { type: 'boolean', default: false },
      'queue-only': { type: 'boolean', default: false },
      'no-queue': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const quick = values.quick;
  const splits = positiveInteger('splits', values.splits, quick ? 3 : 10);
  const shots = positiveInteger('shots', values.shots, 5);
  if (splits < 1 || shots < 1) throw new Error(`--splits and --shots must be at least 1\n\n${USAGE}`);
  const only = [values['video-only'], values['queue-only']].filter(Boolean).length;
  if (only > 1 || (values['video-only'] && values['no-video']) || (values['queue-only'] && values['no-queue'])) throw new Error(`these section options exclude each other\n\n${USAGE}`);
  return {
    splits,
    seed: positiveInteger('seed', values.seed, 1),
    shots,
    quick,
    photosPerIdentity: quick ? 12 : Number.POSITIVE_INFINITY,
    enrollPhotos: quick ? 12 : 24,
    enrollRounds: quick ? 1 : 2,
    identifyImages: quick ? 4 : 8,
    identifyRepeats: 3,
    sections: {
      photos: !values['video-only'] && !values['queue-only'],
      video: !values['no-video'] && !values['queue-only'],
      queue: !values['no-queue'] && !values['video-only'],
    },
    queueJobs: quick ? 12 : 48,
    queueRounds: quick ? 1 : 3,
  };
}
