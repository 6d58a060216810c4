import type { CoreContext } from '../../core/context.ts';
import type { Logger } from '../../core/logger.ts';
import type { BlobStore, FileLocator, FilePlatform } from '../../core/media-ref/index.ts';
import type { ClipQuota } from '../limits/limits.ts';
import type { JobProgress } from '../delivery/delivery.ts';
import type { JobName, JobPayload } from '../jobs.ts';
import type { JobAnswer } from '../results.ts';

/** What a processor may use: the pipeline, the media it is pointed at, and a folder for its answer's files. */
export interface ProcessorContext {
  core: CoreContext;
  blobs: BlobStore;
  /** Hosts platform media may come from. */
  mediaHosts: readonly string[];
  /** How this process locates platform files (Telegram file ids). */
  platformFiles: Partial<Record<FilePlatform, FileLocator>>;
  quota: ClipQuota;
  logger: Logger;
  /** Private to this run; removed after delivery. */
  workDir: string;
  progress(progress: JobProgress): void;
  /** Retrain the group once enrolling has been quiet for a while (many enrolls in a row: one training). */
  scheduleTraining(server: string, group: string): Promise<void>;
  signal: AbortSignal;
}

export interface Processor<N extends JobName> {
  name: N;
  run(payload: JobPayload<N>, context: ProcessorContext): Promise<JobAnswer<N>>;
}
