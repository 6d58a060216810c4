import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requestIdAsName } from '../jobs.ts';
import type { JobAnswer } from '../results.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, FailureNotice, JobProgress } from './delivery.ts';

/** Request ids become folder names (one per request, never outside the outbox: see requestIdAsName). */
export function requestFolderName(id: string): string {
  return requestIdAsName(id, 120);
}

/**
 * The file implementation of the Delivery port: each request's answer lands in `<outbox>/<request>/`
 * (`answer.json` with the text and data, plus its files) or `failure.json`; written in a temporary folder
 * and renamed into place, so a reader never sees half an answer and a second delivery finds the first.
 */
export class OutboxDelivery implements Delivery {
  constructor(private readonly directory: string) {}

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    const name = requestFolderName(request.id);
    // Progress is written without waiting; once the answer is published, a late one is dropped.
    if (await exists(path.join(this.directory, name))) return;
    const file = path.join(this.directory, `${name}.progress.json`);
    await mkdir(this.directory, { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(progress));
    await rename(`${file}.tmp`, file);
  }

  async deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    return this.publish(request, async (folder) => {
      for (const file of answer.files) await copyFile(file.path, path.join(folder, file.name));
      const files = answer.files.map(({ path: _path, ...rest }) => rest);
      await writeFile(path.join(folder, 'answer.json'), `${JSON.stringify({ request: request.id, job: answer.job, text: answer.text, data: answer.data, files }, null, 2)}\n`);
    });
  }

  async fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    return this.publish(request, async (folder) => {
      await writeFile(path.join(folder, 'failure.json'), `${JSON.stringify({ request: request.id, ...failure }, null, 2)}\n`);
    });
  }

  private async publish(request: DeliveryRequest, write: (folder: string) => Promise<void>): Promise<DeliveryReceipt> {
    const name = requestFolderName(request.id);
    const final = path.join(this.directory, name);
    if (await exists(final)) return { outbox: final };
    const partial = path.join(this.directory, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.partial`);
    await mkdir(partial, { recursive: true });
    try {
      await write(partial);
      await rename(partial, final);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      if (await exists(final)) return { outbox: final };
      throw error;
    }
    await rm(`${final}.progress.json`, { force: true });
    return { outbox: final };
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
