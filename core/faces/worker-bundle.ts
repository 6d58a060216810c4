import type { Logger } from '../logger.ts';
import { bundledEntry } from '../source-bundle.js';

/** The worker's TypeScript entry through the tsx loader: always works, but each thread pays for its own loader. */
const TSX_WORKER_ENTRY = new URL('./face-worker-entry.js', import.meta.url);

let entry: Promise<URL> | undefined;

/**
 * The inference worker as one plain-JavaScript module (see source-bundle.js): a worker then starts in about
 * half the time and CPU, which one-shot runs such as the CLI pay on every clip. Falls back to the TypeScript
 * entry when no bundle can be made.
 */
export function faceWorkerEntry(logger: Logger): Promise<URL> {
  entry ??= bundledEntry(new URL('./face-worker.ts', import.meta.url), 'face-worker').then((bundle) => {
    if ('url' in bundle) return bundle.url;
    logger.warn({ reason: bundle.error.message }, 'face worker bundle unavailable; workers load TypeScript through tsx');
    return TSX_WORKER_ENTRY;
  });
  return entry;
}
