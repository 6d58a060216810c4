import { rm } from 'node:fs/promises';
import type { CoreContext } from '../core/context.ts';
import type { Logger } from '../core/logger.ts';
import type { BlobStore, FileLocator, FilePlatform } from '../core/media-ref/index.ts';
import { makeOwnedTempDir } from '../core/temp-dirs.ts';
import type { Delivery, DeliveryReceipt, JobProgress } from './delivery/delivery.ts';
import type { DeliveryLedger } from './delivery/ledger.ts';
import { IdolensError, toNotice } from '../core/errors.ts';
import type { JobCancellations } from './cancellations.ts';
import { watchCancellation } from './cancel-watch.ts';
import { isPermanentFailure, JobFailedError } from './job-errors.ts';
import type { AnyJob, JobName, JobRequest } from './jobs.ts';
import type { ServerGate } from './limits/limits.ts';
import type { ProcessorTable } from './processors/index.ts';
import type { Processor, ProcessorContext } from './processors/processor.ts';
import type { AnswerFile, JobAnswer } from './results.ts';

/** What a finished job returns through the queue: the answer without the worker's own paths, and its receipt. */
export interface JobReturn<N extends JobName = JobName> {
  answer: Omit<JobAnswer<N>, 'files'> & { files: Omit<AnswerFile, 'path'>[] };
  receipt: DeliveryReceipt;
}

export interface JobAttempt {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** No retry follows a failure of this try. */
  lastAttempt: boolean;
  reportProgress(progress: JobProgress): Promise<void>;
  signal: AbortSignal;
}

export interface ExecutorParts {
  processors: ProcessorTable;
  core: CoreContext;
  blobs: BlobStore;
  mediaHosts: readonly string[];
  platformFiles: Partial<Record<FilePlatform, FileLocator>>;
  gate: ServerGate;
  delivery: Delivery;
  ledger: DeliveryLedger;
  cancellations: JobCancellations;
  scheduleTraining(server: string, group: string): Promise<void>;
  logger: Logger;
}

/** Platforms rate-limit message edits: progress reaches the requester at most this often. */
const DELIVERED_PROGRESS_INTERVAL_MS = 2000;

/** Runs one try of a job whatever the queue: process, deliver once, release the server's slot when it is over. */
export class JobExecutor {
  constructor(private readonly parts: ExecutorParts) {}

  async execute(job: AnyJob, attempt: JobAttempt): Promise<JobReturn> {
    const { request } = job.payload;
    const logger = this.parts.logger.child({ job: job.name, jobId: attempt.jobId, request: request.id, server: request.server, attempt: attempt.attempt });
    const started = performance.now();
    const workDir = await makeOwnedTempDir(`job-${job.name}`);
    const watch = await watchCancellation(this.parts.cancellations, request.id, attempt.signal);
    try {
      if (watch.cancelled()) throw new IdolensError('cancelled');
      const processor = this.parts.processors[job.name] as Processor<JobName>;
      const answer = await processor.run(job.payload, this.context(job, logger, workDir, { ...attempt, signal: watch.signal }));
      const receipt = await this.parts.ledger.once(request.id, () => this.parts.delivery.deliver(request, answer));
      await this.finish(job.name, request, attempt.jobId, (performance.now() - started) / 1000);
      logger.info({ seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }, 'job done');
      return { answer: { ...answer, files: answer.files.map(({ path: _path, ...file }) => file) }, receipt };
    } catch (error) {
      // Whatever the stopped work failed with, its asker cancelled it.
      const reason = watch.cancelled() && !(error instanceof IdolensError && error.code === 'cancelled') ? new IdolensError('cancelled', undefined, {}, { cause: error }) : error;
      throw await this.failed(job.name, request, attempt, reason, logger);
    } finally {
      watch.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** A job that will never run (the in-process queue shutting down): its requester is told, its slot freed. */
  async abandon(job: AnyJob, jobId: string, error: unknown): Promise<void> {
    await this.failForGood(job.name, job.payload.request, jobId, error);
  }

  /**
   * A job whose data is not what its kind carries (it came through Redis): it can never run. Its requester, when
   * the request itself is readable, is told that something went wrong on our side, and its slot is freed.
   */
  async refuseUnreadable(name: JobName, request: JobRequest | undefined, jobId: string, problem: string): Promise<JobFailedError> {
    const error = new Error(`unreadable ${name} job data: ${problem}`);
    if (request === undefined) {
      this.parts.logger.error({ job: name, jobId, problem }, 'job data unreadable, requester unknown; failing it');
      return new JobFailedError('internal', toNotice(error).message, true, { cause: error });
    }
    return this.failForGood(name, request, jobId, error);
  }

  private failForGood(name: JobName, request: JobRequest, jobId: string, error: unknown): Promise<JobFailedError> {
    const logger = this.parts.logger.child({ job: name, jobId, request: request.id });
    return this.failed(name, request, { jobId, attempt: 0, lastAttempt: true, reportProgress: async () => {}, signal: AbortSignal.abort() }, error, logger);
  }

  private async failed(name: JobName, request: JobRequest, attempt: JobAttempt, error: unknown, logger: Logger): Promise<JobFailedError> {
    const permanent = isPermanentFailure(error);
    const notice = toNotice(error);
    if (!permanent && !attempt.lastAttempt) {
      logger.warn({ err: error }, 'job failed; it will be retried');
      return new JobFailedError(notice.code, notice.message, false, { cause: error });
    }
    if (permanent) logger.info({ code: notice.code }, 'job refused');
    else logger.error({ err: error }, 'job failed for good');
    try {
      await this.parts.ledger.once(request.id, () => this.parts.delivery.fail(request, notice));
    } catch (deliveryError) {
      logger.error({ err: deliveryError }, 'could not tell the requester about the failure');
    }
    await this.finish(name, request, attempt.jobId, undefined);
    return new JobFailedError(notice.code, notice.message, true, { cause: error });
  }

  private async finish(name: JobName, request: JobRequest, jobId: string, seconds: number | undefined): Promise<void> {
    const { gate } = this.parts;
    await Promise.all([gate.release(request.server, name, jobId), seconds === undefined ? undefined : gate.recordDuration(name, seconds)]);
  }

  private context(job: AnyJob, logger: Logger, workDir: string, attempt: JobAttempt): ProcessorContext {
    const { core, blobs, mediaHosts, platformFiles, gate } = this.parts;
    return {
      core: { ...core, logger },
      blobs,
      mediaHosts,
      platformFiles,
      quota: gate,
      logger,
      workDir,
      signal: attempt.signal,
      progress: this.progressReporter(job, attempt, logger),
      scheduleTraining: (server, group) => this.parts.scheduleTraining(server, group),
    };
  }

  private progressReporter(job: AnyJob, attempt: JobAttempt, logger: Logger): (progress: JobProgress) => void {
    const { request } = job.payload;
    let lastDelivered = 0;
    return (progress) => {
      attempt.reportProgress(progress).catch((error: unknown) => logger.debug({ err: error }, 'progress not recorded'));
      const now = Date.now();
      if (now - lastDelivered < DELIVERED_PROGRESS_INTERVAL_MS) return;
      lastDelivered = now;
      // Progress is best effort: a failed edit must not fail the job.
      this.parts.delivery.progress(request, progress).catch((error: unknown) => logger.debug({ err: error }, 'progress not delivered'));
    };
  }
}
