import { IdolensError } from '../core/errors.ts';
import type { JobCancellations } from './cancellations.ts';

/** How often a running job looks whether its asker cancelled it: the wait between the press and the stop. */
const CHECK_INTERVAL_MS = 1000;

export interface CancelWatch {
  /** Aborted when the process shuts down or the request is cancelled. */
  signal: AbortSignal;
  cancelled(): boolean;
  stop(): void;
}

/** Watches a running job's request for a cancellation (now, then every second) until stopped. */
export async function watchCancellation(cancellations: JobCancellations, requestId: string, outer: AbortSignal): Promise<CancelWatch> {
  const cancel = new AbortController();
  const check = async (): Promise<void> => {
    if (!cancel.signal.aborted && await cancellations.isCancelled(requestId)) cancel.abort(new IdolensError('cancelled'));
  };
  await check();
  const timer = setInterval(() => void check().catch(() => undefined), CHECK_INTERVAL_MS);
  timer.unref();
  return {
    signal: AbortSignal.any([outer, cancel.signal]),
    cancelled: () => cancel.signal.aborted,
    stop: () => clearInterval(timer),
  };
}
