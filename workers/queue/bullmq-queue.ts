/** The producer's side on Redis: one BullMQ queue per job kind. */
import { Job, Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobSettings } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import type { JobProgress } from '../delivery/delivery.ts';
import type { JobReturn } from '../executor.ts';
import { decodeFailure, JobFailedError } from '../job-errors.ts';
import { JOB_NAMES, type JobName, type JobPayload } from '../jobs.ts';
import { jobIdFor, type EnqueueOptions, type JobQueue } from './queue.ts';

/** Finished jobs stay readable long enough for a waiting caller, then go. */
const KEEP_COMPLETED = { age: 60 * 60, count: 5000 };
const KEEP_FAILED = { age: 24 * 60 * 60, count: 5000 };

function isJobProgress(value: unknown): value is JobProgress {
  return typeof value === 'object' && value !== null && 'stage' in value && 'percent' in value;
}

/** States of a job no worker has taken yet. */
const WAITING_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

export class BullQueue implements JobQueue {
  readonly backend = 'bullmq';
  private readonly queues: Record<JobName, Queue>;
  private readonly events = new Map<JobName, { events: QueueEvents; connection: Redis }>();

  constructor(private readonly connection: Redis, private readonly prefix: string, private readonly settings: JobSettings, logger: Logger) {
    this.queues = Object.fromEntries(JOB_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix });
      // Every caller waiting for a job listens on its queue: many at once are normal, not a leak.
      queue.setMaxListeners(0);
      queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue connection problem (reconnecting)'));
      return [name, queue];
    })) as Record<JobName, Queue>;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    const jobId = jobIdFor(name, payload.request.id);
    const delay = options.delayMs ?? 0;
    const jobOptions: JobsOptions = {
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.retryDelayMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
      ...(delay > 0 ? { delay } : {}),
      ...(options.debounceKey === undefined
        ? { jobId }
        : { deduplication: { id: options.debounceKey.replace(/:/g, '_'), ttl: Math.max(1, delay), extend: true, replace: true } }),
    };
    const job = await this.queues[name].add(name, payload, jobOptions);
    if (job.id === undefined) throw new Error(`BullMQ gave no id for a ${name} job`);
    return job.id;
  }

  async result<N extends JobName>(name: N, jobId: string, onProgress?: (progress: JobProgress) => void): Promise<JobReturn<N>> {
    const events = await this.queueEvents(name);
    const job = await Job.fromId<JobPayload<N>, JobReturn<N>>(this.queues[name], jobId);
    if (!job) throw new JobFailedError('not_found', `No job ${jobId} in the ${name} queue.`, true);
    const listener = ({ jobId: id, data }: { jobId: string; data: unknown }): void => {
      if (id === jobId && isJobProgress(data)) onProgress?.(data);
    };
    if (onProgress) events.on('progress', listener);
    try {
      return await job.waitUntilFinished(events);
    } catch (error) {
      const failure = decodeFailure(error instanceof Error ? error.message : undefined);
      throw new JobFailedError(failure.code, failure.message, true, { cause: error });
    } finally {
      events.off('progress', listener);
    }
  }

  async waiting(name: JobName, jobId: string): Promise<boolean> {
    const job = await Job.fromId(this.queues[name], jobId);
    return job !== undefined && WAITING_STATES.has(await job.getState());
  }

  async withdraw(name: JobName, jobId: string): Promise<boolean> {
    const job = await Job.fromId(this.queues[name], jobId);
    if (!job || !WAITING_STATES.has(await job.getState())) return false;
    // BullMQ refuses to remove a job a worker holds the lock of: then it was taken after all.
    return job.remove().then(() => true, () => false);
  }

  async counts(name: JobName): Promise<Record<string, number>> {
    return this.queues[name].getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map(async ({ events, connection }) => {
      await events.close();
      await connection.quit().catch(() => connection.disconnect());
    }));
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
  }

  private async queueEvents(name: JobName): Promise<QueueEvents> {
    const existing = this.events.get(name);
    if (existing) return existing.events;
    // QueueEvents blocks its connection reading the event stream, so it needs its own (closed by us).
    const connection = this.connection.duplicate();
    // Read from the stream's current end, not from '$' at the first XREAD (which a busy machine may issue only after
    // the job we wait for has finished: its event would be missed, and waitUntilFinished's own check came earlier).
    const [last] = await this.connection.xrevrange(this.queues[name].toKey('events'), '+', '-', 'COUNT', 1);
    const events = new QueueEvents(name, { connection, prefix: this.prefix, lastEventId: last?.[0] ?? '0-0' });
    events.setMaxListeners(0);
    this.events.set(name, { events, connection });
    await events.waitUntilReady();
    return events;
  }
}
