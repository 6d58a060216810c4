/**
 * Identify throughput with one worker process vs two on this machine: real `idolens worker` processes (one
 * inference thread each) take identify jobs from BullMQ; the clock runs from the first submit to the last answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../../core/config.ts';
import type { JobSystem } from '../../workers/service.ts';
import { progress } from './bench-runtime.ts';
import { REPO_ROOT } from './faces-folder.ts';

export interface ThroughputRun {
  processes: number;
  /** Identify jobs each process runs at once. */
  concurrency: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

const READY = /worker ready/;
const READY_TIMEOUT_MS = 60_000;

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'idolens.js'), 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`worker not ready after ${READY_TIMEOUT_MS} ms: ${log.slice(-500)}`)), READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (READY.test(log)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${log.slice(-500)}`));
    });
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function runBatch(system: JobSystem, group: string, server: string, keys: readonly string[], jobs: number): Promise<number> {
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: jobs }, (_, index) => system.producer.submit('identify', {
    request: { id: `bench-${randomUUID()}`, server, by: 'bench', target: { kind: 'caller' } },
    group, detector: 'accurate', render: true,
    inputs: [{ ref: { kind: 'blob', key: keys[index % keys.length] ?? '', name: `${index}.jpg` } }],
  })));
  await Promise.all(ids.map((id) => system.queue.result('identify', id)));
  return (performance.now() - started) / 1000;
}

/**
 * Scale-out: 1 and then 2 processes configured as one-core workers (one inference thread, one job at a time);
 * then, for reference, one process running two jobs at once (which already keeps both cores partly busy).
 * `system` is a producer on the same Redis (REDIS_URL, prefix and store) the workers use.
 */
export async function measureWorkerScaling(config: Config, system: JobSystem, group: string, server: string, keys: readonly string[], jobs: number): Promise<ThroughputRun[]> {
  const runs: ThroughputRun[] = [];
  for (const [processes, concurrency] of [[1, 1], [2, 1], [1, 2]] as const) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: config.redisUrl,
      IDOLENS_REDIS_PREFIX: config.redisPrefix,
      IDOLENS_DATA: config.dataDir,
      IDOLENS_WORKERS: '1',
      IDOLENS_IDENTIFY_CONCURRENCY: String(concurrency),
      IDOLENS_LOG_LEVEL: 'info',
    };
    const workers = await Promise.all(Array.from({ length: processes }, () => startWorker(env)));
    try {
      await runBatch(system, group, server, keys, 4 * processes);
      progress(`identify throughput, ${processes} worker process(es), ${concurrency} job(s) at once each: ${jobs} jobs`);
      const seconds = await runBatch(system, group, server, keys, jobs);
      runs.push({ processes, concurrency, jobs, seconds, jobsPerSecond: jobs / seconds });
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  }
  return runs;
}
