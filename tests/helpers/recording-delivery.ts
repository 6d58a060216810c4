/**
 * The recording fake of the Delivery port (the platform boundary): it keeps every call, copies answer files
 * before the worker removes them, and lets a test wait for a request's answer or failure.
 */
import { readFile } from 'node:fs/promises';
import type { Delivery, DeliveryReceipt, DeliveryRequest, FailureNotice, JobProgress } from '../../workers/delivery/delivery.ts';
import type { JobAnswer } from '../../workers/results.ts';

export type DeliveryRecord =
  | { kind: 'progress'; request: DeliveryRequest; progress: JobProgress }
  | { kind: 'answer'; request: DeliveryRequest; answer: JobAnswer; files: Map<string, Buffer> }
  | { kind: 'failure'; request: DeliveryRequest; failure: FailureNotice };

export class RecordingDelivery implements Delivery {
  readonly records: DeliveryRecord[] = [];
  private readonly waiters: (() => void)[] = [];

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    this.push({ kind: 'progress', request, progress });
  }

  async deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    const files = new Map<string, Buffer>();
    for (const file of answer.files) files.set(file.name, await readFile(file.path));
    this.push({ kind: 'answer', request, answer, files });
    return { recorded: this.records.length };
  }

  async fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    this.push({ kind: 'failure', request, failure });
    return { recorded: this.records.length };
  }

  /** Answers and failures (not progress) for one request. */
  outcomesFor(requestId: string): DeliveryRecord[] {
    return this.records.filter((record) => record.request.id === requestId && record.kind !== 'progress');
  }

  /** Resolves with the request's first answer or failure; rejects after `timeoutMs`. */
  async waitFor(requestId: string, timeoutMs = 120_000): Promise<DeliveryRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [first] = this.outcomesFor(requestId);
      if (first) return first;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer or failure delivered for ${requestId} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  private push(record: DeliveryRecord): void {
    this.records.push(record);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
