/**
 * The embedded default: jobs run in this process on p-queue (one queue per job kind, each with its own
 * concurrency), tries and backoff by p-retry. Same semantics as the BullMQ backend, except that nothing
 * survives a restart: on shutdown, jobs that had not started are failed with `shutting_down`.
 */
import PQueue from 'p-queue';
import pRetry, { AbortError } from 'p-retry';
import type { JobSettings } from '../../core/config.ts';
import { IdolensError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { JobProgress } from '../delivery/delivery.ts';
import type { JobExecutor, JobReturn } from '../executor.ts';
import { JobFailedError } from '../job-errors.ts';
import { JOB_NAMES, type AnyJob, type JobName, type JobPayload } from '../jobs.ts';
import { jobIdFor, type EnqueueOptions, type JobQueue, type JobWorkers } from './queue.ts';

interface TrackedJob {
  job: AnyJob;
  done: Promise<JobReturn>;
  progress: Set<(progress: JobProgress) => void>;
  started: boolean;
  /** Taken off the queue before it started: it never runs. */
  withdrawn: boolean;
  delay?: NodeJS.Timeout;
  abandon(error: unknown): void;
}

interface Debounced {
  timer: NodeJS.Timeout;
  jobId: string;
  start(): void;
}

/** Finished jobs stay answerable this long (a waiting caller may ask after the job ended). */
const FINISHED_JOB_TTL_MS = 10 * 60 * 1000;

export class InProcessQueue implements JobQueue, JobWorkers {
  readonly backend = 'in-process';
  private readonly queues: Record<JobName, PQueue>;
  private readonly jobs = new Map<string, TrackedJob>();
  private readonly debounced = new Map<string, Debounced>();
  private readonly aborts = new AbortController();
  private closing = false;

  constructor(private readonly executor: JobExecutor, private readonly settings: JobSettings, private readonly logger: Logger) {
    this.queues = Object.fromEntries(JOB_NAMES.map((name) => [name, new PQueue({ concurrency: settings.concurrency[name], autoStart: false })])) as Record<JobName, PQueue>;
  }

  async start(): Promise<void> {
    for (const queue of Object.values(this.queues)) queue.start();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    if (this.closing) throw new IdolensError('shutting_down');
    if (options.debounceKey !== undefined) return this.debounce(name, payload, options.debounceKey, options.delayMs ?? 0);
    const jobId = jobIdFor(name, payload.request.id);
    if (this.jobs.has(jobId)) return jobId;
    this.track(jobId, { name, payload } as AnyJob, options.delayMs ?? 0);
    return jobId;
  }

  async result<N extends JobName>(_name: N, jobId: string, onProgress?: (progress: JobProgress) => void): Promise<JobReturn<N>> {
    const tracked = this.jobs.get(jobId);
    if (!tracked) throw new JobFailedError('not_found', `No job ${jobId} is known here.`, true);
    if (onProgress) tracked.progress.add(onProgress);
    try {
      return await tracked.done as JobReturn<N>;
    } finally {
      if (onProgress) tracked.progress.delete(onProgress);
    }
  }

  async waiting(_name: JobName, jobId: string): Promise<boolean> {
    const tracked = this.jobs.get(jobId);
    return tracked !== undefined && !tracked.started;
  }

  async withdraw(_name: JobName, jobId: string): Promise<boolean> {
    const tracked = this.jobs.get(jobId);
    if (!tracked || tracked.started) return false;
    tracked.withdrawn = true;
    clearTimeout(tracked.delay);
    tracked.abandon(new JobFailedError('cancelled', 'The job was withdrawn before a worker took it.', false));
    return true;
  }

  async close(graceMs: number = 0): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const entry of this.debounced.values()) clearTimeout(entry.timer);
    for (const queue of Object.values(this.queues)) {
      queue.pause();
      queue.clear();
    }
    const running = Object.values(this.queues).reduce((sum, queue) => sum + queue.pending, 0);
    if (running > 0) this.logger.info({ running, graceMs }, 'waiting for running jobs before stopping');
    const idle = Promise.all(Object.values(this.queues).map((queue) => queue.onIdle()));
    const timedOut = await Promise.race([idle.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref())]);
    if (timedOut) this.aborts.abort();
    const refusal = new IdolensError('shutting_down');
    for (const [jobId, tracked] of this.jobs) {
      if (tracked.started) continue;
      clearTimeout(tracked.delay);
      this.logger.warn({ jobId }, 'job not started before shutdown; its requester is told to send it again');
      await this.executor.abandon(tracked.job, jobId, refusal);
      tracked.abandon(new JobFailedError(refusal.code, refusal.message, true));
    }
  }

  private track(jobId: string, job: AnyJob, delayMs: number): TrackedJob {
    let settle!: { resolve: (value: JobReturn) => void; reject: (error: unknown) => void };
    const done = new Promise<JobReturn>((resolve, reject) => { settle = { resolve, reject }; });
    const tracked: TrackedJob = { job, progress: new Set(), started: false, withdrawn: false, done, abandon: (error) => settle.reject(error) };
    const enqueue = (): void => {
      this.queues[job.name].add(async () => {
        if (!tracked.withdrawn) await this.runWithRetries(jobId, tracked).then(settle.resolve, settle.reject);
      }).catch(settle.reject);
    };
    done.catch(() => undefined).finally(() => setTimeout(() => this.jobs.delete(jobId), FINISHED_JOB_TTL_MS).unref());
    this.jobs.set(jobId, tracked);
    if (delayMs > 0) tracked.delay = setTimeout(enqueue, delayMs).unref();
    else enqueue();
    return tracked;
  }

  private debounce<N extends JobName>(name: N, payload: JobPayload<N>, key: string, delayMs: number): string {
    const waiting = this.debounced.get(key);
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.timer = setTimeout(waiting.start, delayMs).unref();
      return waiting.jobId;
    }
    const jobId = jobIdFor(name, payload.request.id);
    const entry: Debounced = {
      jobId,
      timer: setTimeout(() => entry.start(), delayMs).unref(),
      start: () => {
        this.debounced.delete(key);
        if (!this.closing) this.track(jobId, { name, payload } as AnyJob, 0);
      },
    };
    this.debounced.set(key, entry);
    return jobId;
  }

  private runWithRetries(jobId: string, tracked: TrackedJob): Promise<JobReturn> {
    tracked.started = true;
    const attempts = this.settings.attempts;
    return pRetry(async (attempt) => {
      try {
        return await this.executor.execute(tracked.job, {
          jobId,
          attempt,
          lastAttempt: attempt >= attempts,
          signal: this.aborts.signal,
          reportProgress: async (progress) => { for (const listener of tracked.progress) listener(progress); },
        });
      } catch (error) {
        if (error instanceof JobFailedError && error.permanent) throw new AbortError(error);
        throw error;
      }
    }, { retries: attempts - 1, factor: 2, minTimeout: this.settings.retryDelayMs, randomize: false }).catch((error: unknown) => {
      throw error instanceof AbortError && error.originalError instanceof JobFailedError ? error.originalError : error;
    });
  }
}
