import type { BlobStore } from '../../core/media-ref/index.ts';
import type { JobAnswer } from '../results.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, FailureNotice, JobProgress } from './delivery.ts';

/** How long a waiting caller has to collect an answer's files. */
export const CALLER_FILE_TTL_SECONDS = 60 * 60;

/**
 * The answer goes back to the process that queued the job and waits for it (the CLI with --queue): the files
 * are stored as blobs and the receipt names them; the job's result carries the receipt and the data.
 * Progress reaches the caller through the queue's own progress events.
 */
export class CallerDelivery implements Delivery {
  constructor(private readonly blobs: BlobStore) {}

  async progress(_request: DeliveryRequest, _progress: JobProgress): Promise<void> {}

  async deliver(_request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    const files: Record<string, string> = {};
    for (const file of answer.files) files[file.name] = await this.blobs.putFile(file.path, { ttlSeconds: CALLER_FILE_TTL_SECONDS });
    return { files };
  }

  async fail(_request: DeliveryRequest, _failure: FailureNotice): Promise<DeliveryReceipt> {
    return {};
  }
}
