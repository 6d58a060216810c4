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
  /** Which of the interleaved rounds this run belongs to (1-based); 0 for the reference run after them. */
  round: number;
  /** Jobs taken from BullMQ by `idolens worker` processes, or direct engine calls in plain processes. */
  path: 'queue' | 'engine';
  processes: number;
  /** Identify jobs each process runs at once. */
  concurrency: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

const READY = /worker ready/;
export const ENGINE_LOOP_READY = 'engine-loop: ready';
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

export interface Batch {
  group: string;
  server: string;
  /** Blob keys of the pictures, used in turn. */
  keys: readonly string[];
  /** The pictures' files, for the direct engine runs. */
  files: readonly string[];
  /** Jobs timed per run. */
  jobs: number;
}

async function runBatch(system: JobSystem, { group, server, keys }: Batch, jobs: number): Promise<number> {
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: jobs }, (_, index) => system.producer.submit('identify', {
    request: { id: `bench-${randomUUID()}`, server, by: 'bench', target: { kind: 'caller' } },
    group, detector: 'accurate', render: true,
    inputs: [{ ref: { kind: 'blob', key: keys[index % keys.length] ?? '', name: `${index}.jpg` } }],
  })));
  await Promise.all(ids.map((id) => system.queue.result('identify', id)));
  return (performance.now() - started) / 1000;
}

function workerEnv(config: Config, concurrency: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: config.redisUrl,
    IDOLENS_REDIS_PREFIX: config.redisPrefix,
    IDOLENS_DATA: config.dataDir,
    IDOLENS_WORKERS: '1',
    IDOLENS_IDENTIFY_CONCURRENCY: String(concurrency),
    IDOLENS_LOG_LEVEL: 'info',
  };
}

async function timeWorkers(config: Config, system: JobSystem, batch: Batch, processes: number, concurrency: number): Promise<number> {
  const env = workerEnv(config, concurrency);
  const workers = await Promise.all(Array.from({ length: processes }, () => startWorker(env)));
  try {
    await runBatch(system, batch, 4 * processes);
    progress(`identify throughput, ${processes} worker process(es), ${concurrency} job(s) at once each: ${batch.jobs} jobs`);
    return await runBatch(system, batch, batch.jobs);
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

/** The same identify calls with no queue: `processes` plain processes sharing `jobs` direct calls, timed together. */
async function timeEngineLoops(env: NodeJS.ProcessEnv, batch: Batch, processes: number): Promise<number> {
  const script = path.join(REPO_ROOT, 'scripts', 'bench', 'engine-loop.ts');
  const children = Array.from({ length: processes }, () => spawn(process.execPath, ['--import', 'tsx', script, batch.server, batch.group, String(Math.ceil(batch.jobs / processes)), ...batch.files], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  const seconds = children.map((child) => new Promise<number>((resolve, reject) => {
    let out = '';
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString('utf8'); });
    child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`engine loop exited with ${code}: ${log.slice(-500)}`))));
  }));
  await Promise.all(children.map((child) => new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => { if (chunk.toString('utf8').includes(ENGINE_LOOP_READY)) resolve(); });
    child.once('exit', () => reject(new Error('engine loop exited before it was ready')));
  })));
  progress(`identify throughput, ${processes} plain process(es) calling the engine directly: ${batch.jobs} calls`);
  for (const child of children) child.stdin?.end('go\n');
  return Math.max(...(await Promise.all(seconds)));
}

/**
 * Scale-out: 1 and then 2 processes configured as one-core workers (one inference thread, one job at a time),
 * then the same with plain processes calling the engine directly (what the machine allows without any queue),
 * interleaved over `rounds` rounds so that a burst of load from elsewhere on the machine hits one run, not one
 * configuration; then, for reference, one worker process running two jobs at once (which already keeps both cores
 * partly busy). `system` is a producer on the same Redis (REDIS_URL, prefix and store) the workers use.
 */
export async function measureWorkerScaling(config: Config, system: JobSystem, batch: Batch, rounds: number): Promise<ThroughputRun[]> {
  const runs: ThroughputRun[] = [];
  const plan: Array<[round: number, path: ThroughputRun['path'], processes: number, concurrency: number]> = [];
  for (let round = 1; round <= rounds; round += 1) plan.push([round, 'queue', 1, 1], [round, 'queue', 2, 1], [round, 'engine', 1, 1], [round, 'engine', 2, 1]);
  plan.push([0, 'queue', 1, 2]);
  for (const [round, kind, processes, concurrency] of plan) {
    const seconds = kind === 'queue' ? await timeWorkers(config, system, batch, processes, concurrency) : await timeEngineLoops(workerEnv(config, 1), batch, processes);
    const jobs = kind === 'queue' ? batch.jobs : Math.ceil(batch.jobs / processes) * processes;
    runs.push({ round, path: kind, processes, concurrency, jobs, seconds, jobsPerSecond: jobs / seconds });
  }
  return runs;
}
