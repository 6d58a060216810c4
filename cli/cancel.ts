/**
 * Long CLI work that Ctrl-C (or SIGTERM) cancels cleanly: the first signal aborts the work, whose ffmpeg runs are
 * killed and whose work folders are removed on the way out; a second one exits at once.
 */
import { IdolensError } from '../core/errors.ts';

export const CANCELLED_EXIT_CODE = 130;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(CANCELLED_EXIT_CODE);
    process.stderr.write('\ncancelling… (again to quit at once)\n');
    controller.abort(new IdolensError('cancelled'));
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  try {
    return await work(controller.signal);
  } catch (error) {
    // Whatever the aborted work failed with on its way out, the person asked to cancel.
    throw controller.signal.aborted ? new IdolensError('cancelled', undefined, {}, { cause: error }) : error;
  } finally {
    for (const name of SIGNALS) process.off(name, onSignal);
  }
}
