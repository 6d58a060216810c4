import { setTimeout as sleep } from 'node:timers/promises';
import { IdolensError } from '../core/errors.ts';
import { formatWholeSeconds } from '../core/format.ts';
import type { JobName } from '../workers/jobs.ts';
import type { JobQueue } from '../workers/queue/queue.ts';

export interface WorkerWait {
  queue: JobQueue;
  name: JobName;
  jobId: string;
  /** Say that no worker has taken the job yet after this long. */
  hintAfterMs: number;
  /** Withdraw the job and give up after this long. */
  giveUpAfterMs: number;
  pollMs?: number;
  hint(text: string): void;
}

/**
 * Watches a submitted job until a worker takes it. Resolves when one does (or the job is gone); after
 * `hintAfterMs` says that it is waiting and how to start a worker; after `giveUpAfterMs` withdraws the job (so
 * that it does not run later for nobody) and rejects with `no_worker`. `stop()` ends the watch.
 */
export function waitForWorker(wait: WorkerWait): { taken: Promise<void>; stop(): void } {
  const stopped = new AbortController();
  const started = Date.now();
  const watch = async (): Promise<void> => {
    let hinted = false;
    while (!stopped.signal.aborted && (await wait.queue.waiting(wait.name, wait.jobId))) {
      const waited = Date.now() - started;
      if (waited >= wait.giveUpAfterMs && (await wait.queue.withdraw(wait.name, wait.jobId))) {
        throw new IdolensError('no_worker', `No job worker took the job in ${formatWholeSeconds(waited)} (none running, or all busy); it was withdrawn, so nothing will run later. Start one with \`npm run worker\` (same REDIS_URL), then run the command again.`);
      }
      if (!hinted && waited >= wait.hintAfterMs) {
        hinted = true;
        wait.hint(`waiting for a worker (none has taken this job for ${formatWholeSeconds(waited)}: is one running? start one with \`npm run worker\`; giving up after ${formatWholeSeconds(wait.giveUpAfterMs)}, IDOLENS_QUEUE_WAIT_SECONDS)`);
      }
      await sleep(wait.pollMs ?? 500, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  };
  return { taken: watch(), stop: () => stopped.abort() };
}
