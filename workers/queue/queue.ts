import type { JobProgress } from '../delivery/delivery.ts';
import type { JobReturn } from '../executor.ts';
import { requestIdAsName, type JobName, type JobPayload } from '../jobs.ts';

export interface EnqueueOptions {
  /** Start no earlier than this. */
  delayMs?: number;
  /** Debounce: a job added again with this key while the first still waits replaces it and restarts its delay. */
  debounceKey?: string;
}

/** The producer's side, the same for BullMQ and the in-process queue. */
export interface JobQueue {
  readonly backend: 'bullmq' | 'in-process';
  /** Adds the job; the same request added twice is one job. Returns the job's id. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: EnqueueOptions): Promise<string>;
  /** Resolves with the job's return value, or rejects with a JobFailedError once it failed for good. */
  result<N extends JobName>(name: N, jobId: string, onProgress?: (progress: JobProgress) => void): Promise<JobReturn<N>>;
  /** Whether the job still waits for a worker to take it (false once taken, finished or gone). */
  waiting(name: JobName, jobId: string): Promise<boolean>;
  /** Takes a job that no worker has taken yet off the queue; false when one took it meanwhile. */
  withdraw(name: JobName, jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The consumer's side: runs jobs until closed. */
export interface JobWorkers {
  start(): Promise<void>;
  /** Stops taking jobs; running ones get `graceMs` to finish, then are handed back to the queue (or failed, in-process). */
  close(graceMs: number): Promise<void>;
}

/** Job ids stay short enough for logs and Redis keys. */
const MAX_REQUEST_NAME = 100;

/**
 * A request id as a queue job id: stable (the same request is the same job), free of the separators queues use,
 * and never the same for two requests.
 */
export function jobIdFor(name: JobName, requestId: string): string {
  return `${name}-${requestIdAsName(requestId, MAX_REQUEST_NAME)}`;
}
