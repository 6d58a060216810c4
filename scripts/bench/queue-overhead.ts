/**
 * Queue overhead per identify job: the same pictures identified by a direct call, through the in-process
 * queue and through BullMQ (worker in this process), one job at a time, the three ways interleaved picture by
 * picture so that the machine's drift hits all three alike.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Config } from '../../core/config.ts';
import { identifyImage } from '../../core/identify/identify.ts';
import type { Logger } from '../../core/logger.ts';
import type { Runtime } from '../../core/runtime.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';

export interface QueueOverhead {
  jobs: number;
  /** Median seconds per picture. */
  direct: number;
  inProcess: number;
  bullmq: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

type Way = () => Promise<unknown>;

async function queuedWay(system: JobSystem, group: string, server: string, bytes: Uint8Array): Promise<Way> {
  const key = await system.blobs.put(bytes, { ttlSeconds: 600 });
  return async () => {
    const request = { id: `bench-${randomUUID()}`, server, by: 'bench', target: { kind: 'caller' as const } };
    const jobId = await system.producer.submit('identify', { request, group, detector: 'accurate', render: true, inputs: [{ ref: { kind: 'blob', key, name: 'picture.jpg' } }] });
    await system.queue.result('identify', jobId);
  };
}

/** `config` must name a Redis (REDIS_URL) whose store `runtime` uses, and the group must be enrolled there. */
export async function measureQueueOverhead(config: Config, runtime: Runtime, logger: Logger, group: string, server: string, files: readonly string[], rounds: number): Promise<QueueOverhead> {
  const images = await Promise.all(files.map(async (file) => new Uint8Array(await readFile(file))));
  const generous = { ...config, limits: { ...config.limits, maxQueuedJobs: 10_000 } };
  const inProcess = await openJobSystem({ ...generous, redisUrl: undefined }, runtime, logger, { runWorkers: true });
  const bullmq = await openJobSystem(generous, runtime, logger, { runWorkers: true });
  try {
    const ways = await Promise.all(images.map(async (bytes) => ({
      direct: () => identifyImage(runtime.context, { server, group, bytes, source: 'bench', render: true, detector: 'accurate' }),
      inProcess: await queuedWay(inProcess, group, server, bytes),
      bullmq: await queuedWay(bullmq, group, server, bytes),
    })));
    const times = { direct: [] as number[], inProcess: [] as number[], bullmq: [] as number[] };
    for (const way of ways.slice(0, 2)) for (const name of ['direct', 'inProcess', 'bullmq'] as const) await way[name]();
    for (let round = 0; round < rounds; round += 1) {
      for (const way of ways) for (const name of ['direct', 'inProcess', 'bullmq'] as const) times[name].push(await seconds(way[name]));
    }
    return { jobs: rounds * images.length, direct: median(times.direct), inProcess: median(times.inProcess), bullmq: median(times.bullmq) };
  } finally {
    await inProcess.close(5_000);
    await bullmq.close(5_000);
  }
}
