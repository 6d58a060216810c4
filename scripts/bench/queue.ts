/** The queue section of the bench: overhead per identify job and worker-process scaling, on a real Redis. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../../core/config.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { plural } from '../../core/format.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime } from '../../core/runtime.ts';
import { trainGroup } from '../../core/training/train-group.ts';
import { openJobSystem } from '../../workers/service.ts';
import { progress } from './bench-runtime.ts';
import type { Identity } from './faces-folder.ts';
import { measureQueueOverhead, type QueueOverhead } from './queue-overhead.ts';
import { measureWorkerScaling, type ThroughputRun } from './queue-throughput.ts';
import type { ReportRow } from './report.ts';

export interface QueueMeasures {
  overhead: QueueOverhead;
  scaling: ThroughputRun[];
}

const GROUP = 'BLACKPINK';
const SERVER = 'bench';
export const SCALING_TARGET = 1.7;

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Enrolls `shots` photos per member, then times identify jobs with the photos after them. */
export async function measureQueue(members: readonly Identity[], shots: number, jobs: number, rounds: number): Promise<QueueMeasures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'idolens-bench-queue-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  const config = loadConfig({ IDOLENS_LOG_LEVEL: 'warn', ...process.env, REDIS_URL: redisUrl, IDOLENS_REDIS_PREFIX: prefix, IDOLENS_DATA: dataDir, IDOLENS_WORKERS: '1', IDOLENS_MAX_QUEUED_PER_SERVER: '10000' });
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  try {
    await runtime.context.store.createGroup(SERVER, GROUP);
    for (const member of members) await enrollPhotos(runtime.context, { server: SERVER, group: GROUP, member: member.name, inputs: member.photos.slice(0, shots), layout: 'flat', addedBy: 'bench' });
    await trainGroup(runtime.context, SERVER, GROUP);
    const pictures = members.flatMap((member) => member.photos.slice(shots, shots + 2));
    progress(`queue overhead: ${pictures.length} pictures, direct vs in-process vs BullMQ`);
    const overhead = await measureQueueOverhead(config, runtime, logger, GROUP, SERVER, pictures, 2);
    const producer = await openJobSystem(config, runtime, logger, { runWorkers: false });
    try {
      const keys = await Promise.all(pictures.map((file) => producer.blobs.putFile(file, { ttlSeconds: 3600 })));
      const scaling = await measureWorkerScaling(config, producer, { group: GROUP, server: SERVER, keys, files: pictures, jobs }, rounds);
      return { overhead, scaling };
    } finally {
      await producer.close(0);
    }
  } finally {
    await runtime.close();
    await deleteKeys(redisUrl, prefix);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(0)} ms`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The run of the round with the median throughput, for one configuration. */
function medianRun(runs: readonly ThroughputRun[], kind: ThroughputRun['path'], processes: number, concurrency: number): ThroughputRun | undefined {
  const matching = runs.filter((run) => run.path === kind && run.processes === processes && run.concurrency === concurrency).sort((a, b) => a.jobsPerSecond - b.jobsPerSecond);
  return matching[Math.floor((matching.length - 1) / 2)];
}

/** 2 processes / 1 within each round (the two runs of a round ran back to back, on the same machine state). */
function roundRatios(runs: readonly ThroughputRun[], kind: ThroughputRun['path']): { ratios: number[]; shown: string } {
  const rounds = [...new Set(runs.filter((run) => run.round > 0).map((run) => run.round))];
  const pairs = rounds.flatMap((round) => {
    const one = runs.find((run) => run.round === round && run.path === kind && run.processes === 1);
    const two = runs.find((run) => run.round === round && run.path === kind && run.processes === 2);
    return one && two ? [{ one, two, ratio: two.jobsPerSecond / one.jobsPerSecond }] : [];
  });
  return {
    ratios: pairs.map((pair) => pair.ratio),
    shown: pairs.map(({ one, two, ratio }) => `${two.jobsPerSecond.toFixed(2)}/${one.jobsPerSecond.toFixed(2)} = ${ratio.toFixed(2)}×`).join(', '),
  };
}

export function queueRows(measures: QueueMeasures): ReportRow[] {
  const { overhead, scaling } = measures;
  const basis = `median of ${overhead.jobs} one-picture jobs run one at a time (render on); direct call ${ms(overhead.direct)}`;
  const one = medianRun(scaling, 'queue', 1, 1);
  const two = medianRun(scaling, 'queue', 2, 1);
  const oneDouble = medianRun(scaling, 'queue', 1, 2);
  const engineOne = medianRun(scaling, 'engine', 1, 1);
  const engineTwo = medianRun(scaling, 'engine', 2, 1);
  const rounds = scaling.filter((run) => run.path === 'queue' && run.processes === 2).length;
  const queueRounds = roundRatios(scaling, 'queue');
  const engineRounds = roundRatios(scaling, 'engine');
  const ratio = queueRounds.ratios.length > 0 ? median(queueRounds.ratios) : Number.NaN;
  const engineRatio = engineRounds.ratios.length > 0 ? median(engineRounds.ratios) : Number.NaN;
  const throughputRow = (run: ThroughputRun): ReportRow => ({
    measure: run.path === 'queue'
      ? `Identify throughput, ${plural(run.processes, 'worker process', 'worker processes')} × ${plural(run.concurrency, 'job')} at once`
      : `Identify throughput without a queue, ${plural(run.processes, 'process', 'processes')} calling the engine`,
    value: run.jobsPerSecond, shown: `${run.jobsPerSecond.toFixed(2)} jobs/s`, target: '', result: '',
    notes: `${run.jobs} jobs in ${run.seconds.toFixed(1)} s${run.round > 0 ? ` (median of ${rounds} interleaved rounds)` : ''}; 1 inference thread per process`,
  });
  return [
    { measure: 'Queue overhead per identify job: in-process', value: overhead.inProcess - overhead.direct, shown: `+${ms(overhead.inProcess - overhead.direct)}`, target: '', result: '', notes: `${ms(overhead.inProcess)} per job; ${basis}` },
    { measure: 'Queue overhead per identify job: BullMQ', value: overhead.bullmq - overhead.direct, shown: `+${ms(overhead.bullmq - overhead.direct)}`, target: '', result: '', notes: `${ms(overhead.bullmq)} per job; ${basis}; worker in the same process` },
    ...[one, two, oneDouble, engineOne, engineTwo].filter((run) => run !== undefined).map(throughputRow),
    {
      measure: 'Identify speed-up, 2 worker processes / 1', value: ratio, shown: `${ratio.toFixed(2)}×`, target: `≥ ${SCALING_TARGET}×`,
      result: Number.isNaN(ratio) ? 'MISS' : ratio >= SCALING_TARGET ? 'PASS' : 'MISS',
      notes: `median over rounds of (2 processes / 1 process, run back to back); one-core workers (1 job at once each), real \`idolens worker\` processes on BullMQ, same jobs, after a warm-up; each round: ${queueRounds.shown}; without a queue (plain processes calling the engine, same pictures): ${engineRatio.toFixed(2)}× (${engineRounds.shown})${oneDouble && two ? `; 2 processes vs 1 process running 2 jobs at once: ${(two.jobsPerSecond / oneDouble.jobsPerSecond).toFixed(2)}×` : ''}`,
    },
  ];
}
