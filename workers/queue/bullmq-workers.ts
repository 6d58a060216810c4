/** The consumer's side on Redis: one BullMQ worker per job kind, with its own concurrency. */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobSettings } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import type { JobExecutor, JobReturn } from '../executor.ts';
import { encodeFailure, JobFailedError } from '../job-errors.ts';
import { checkJobData, JOB_REQUEST_SCHEMA } from '../job-schemas.ts';
import { JOB_NAMES, type AnyJob, type JobName, type JobPayload } from '../jobs.ts';
import type { JobWorkers } from './queue.ts';

export class BullWorkers implements JobWorkers {
  private readonly workers: Worker[] = [];
  private readonly aborts = new AbortController();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly settings: JobSettings,
    private readonly executor: JobExecutor,
    private readonly logger: Logger,
    private readonly names: readonly JobName[] = JOB_NAMES,
  ) {}

  async start(): Promise<void> {
    for (const name of this.names) {
      const worker = new Worker<JobPayload<JobName>, JobReturn>(name, (job) => this.process(name, job), {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: this.settings.concurrency[name],
        lockDuration: this.settings.lockMs,
        stalledInterval: this.settings.lockMs,
        maxStalledCount: 2,
        autorun: false,
      });
      worker.on('error', (error) => this.logger.warn({ err: error, queue: name }, 'queue connection problem (retrying)'));
      worker.on('stalled', (jobId) => this.logger.warn({ jobId, queue: name }, 'a job lost its worker and goes back to the queue'));
      this.workers.push(worker);
      void worker.run().catch((error: unknown) => this.logger.error({ err: error, queue: name }, 'worker stopped'));
      await worker.waitUntilReady();
    }
  }

  async close(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    const timer = setTimeout(() => {
      this.logger.warn({ graceMs }, 'running jobs did not finish in time; handing them back to the queue');
      this.aborts.abort();
      void Promise.all(this.workers.map((worker) => worker.close(true)));
    }, graceMs);
    try {
      await closing;
    } finally {
      clearTimeout(timer);
    }
  }

  private async process(name: JobName, job: Job<JobPayload<JobName>, JobReturn>): Promise<JobReturn> {
    // attemptsMade counts failed tries (retries); attemptsStarted also counts runs lost with a crashed worker.
    const tries = job.attemptsMade + 1;
    try {
      const payload = await this.readPayload(name, job);
      return await this.executor.execute({ name, payload } as AnyJob, {
        jobId: job.id ?? '?',
        attempt: Math.max(tries, job.attemptsStarted),
        lastAttempt: tries >= (job.opts.attempts ?? 1),
        signal: this.aborts.signal,
        reportProgress: async (progress) => { await job.updateProgress({ ...progress }); },
      });
    } catch (error) {
      if (error instanceof JobFailedError) {
        const reason = encodeFailure(error.code, error.message);
        throw error.permanent ? new UnrecoverableError(reason) : new Error(reason, { cause: error });
      }
      throw error;
    }
  }

  private async readPayload(name: JobName, job: Job<unknown, JobReturn>): Promise<JobPayload<JobName>> {
    const checked = checkJobData(name, job.data);
    if (checked.ok) return checked.payload;
    const request = JOB_REQUEST_SCHEMA.safeParse((job.data as { request?: unknown } | null)?.request);
    throw await this.executor.refuseUnreadable(name, request.success ? request.data : undefined, job.id ?? '?', checked.problem);
  }
}
