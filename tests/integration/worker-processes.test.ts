/**
 * Real `idolens worker` and `idolens serve` processes on a real Redis (the shared one, under a private prefix):
 * a worker killed mid-job, a worker stopped mid-job, the CLI's `--queue` path against the local one, and the
 * service without Redis. The test process is a producer only (it queues jobs and reads Redis; it runs none).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile, readdir, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import type { JobProgress } from '../../workers/delivery/delivery.ts';
import { requestFolderName } from '../../workers/delivery/outbox-delivery.ts';
import type { JobReturn } from '../../workers/executor.ts';
import type { JobRequest } from '../../workers/jobs.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';
import { assertExit, runCliWithEnvironment } from '../helpers/cli.ts';
import { BLACKPINK, GROUP_PHOTO, blackpinkPhoto, enrollPhotosOf } from '../helpers/fixtures.ts';
import { exitWithin, startIdolens, type IdolensProcess, type LogLine } from '../helpers/idolens-process.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from '../helpers/redis-server.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';
import { sharedClip, streamFacts } from '../helpers/video.ts';

const GROUP = 'BLACKPINK';
const SERVER = 'worker-procs';
const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');
const AD_FRAMES = 228;
const REDIS_URL = sharedRedisUrl();
const PREFIX = uniquePrefix('worker-procs');
/**
 * A killed worker's job goes back to the queue this long after its last lock renewal. Every worker of the
 * file uses it: a worker's stalled check also blocks the others' checks for its own interval (BullMQ's
 * `stalled-check` key), so one worker with the default 60 s would hold up the recovery.
 */
const LOCK_SECONDS = '3';
const READY_TIMEOUT_MS = 60_000;
const JOB_TIMEOUT_MS = 90_000;

let tempDir: string;
let dataDir: string;
let outboxDir: string;
let runtime: Runtime | undefined;
let system: JobSystem | undefined;
let redis: Redis | undefined;
const processes = new Set<IdolensProcess>();

/** Workers and the CLI share the Redis (queues, store, blobs, ledger); one inference thread each keeps them light. */
function redisEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return testEnvironment({
    REDIS_URL,
    IDOLENS_REDIS_PREFIX: PREFIX,
    IDOLENS_WORKERS: '1',
    IDOLENS_OUTBOX: outboxDir,
    IDOLENS_TRAIN_DEBOUNCE_SECONDS: '0',
    IDOLENS_LOG_LEVEL: 'info',
    IDOLENS_JOB_LOCK_SECONDS: LOCK_SECONDS,
    // Job work folders of a killed worker stay behind: inside the test's folder, they go with it.
    TMPDIR: path.join(tempDir, 'tmp'),
    ...extra,
  });
}

const idolens = (env: NodeJS.ProcessEnv, ...args: string[]) => runCliWithEnvironment(env, ['--data', dataDir, '--server', SERVER, ...args]);
const byMessage = (prefix: string) => (line: LogLine): boolean => typeof line.msg === 'string' && line.msg.startsWith(prefix);
const jobDone = (jobId: string) => (line: LogLine): boolean => line.msg === 'job done' && line.jobId === jobId;

async function startWorker(extra: NodeJS.ProcessEnv = {}): Promise<IdolensProcess> {
  const worker = startIdolens(['--data', dataDir, 'worker'], redisEnvironment(extra));
  processes.add(worker);
  await worker.waitForLog(byMessage('worker ready'), READY_TIMEOUT_MS, 'worker ready');
  return worker;
}

/** Kills what is left of the process (and what it spawned) and stops tracking it. */
async function forget(proc: IdolensProcess): Promise<void> {
  await proc.destroy();
  processes.delete(proc);
}

async function stopWorker(worker: IdolensProcess): Promise<void> {
  worker.signal('SIGTERM');
  try {
    await exitWithin(worker, 30_000);
  } finally {
    await forget(worker);
  }
}

function producer(): JobSystem {
  assert.ok(system, 'the producer is open');
  return system;
}

/** The ad as a blob, annotated into the outbox: what a bot's request without a platform reply looks like. */
async function submitAnnotate(): Promise<{ request: JobRequest; jobId: string }> {
  const jobs = producer();
  const key = await jobs.blobs.putFile(AD, { ttlSeconds: 3600 });
  const request: JobRequest = { id: `procs-${randomUUID()}`, server: SERVER, by: 'tester', target: { kind: 'outbox' } };
  const jobId = await jobs.producer.submit('annotate', { request, group: GROUP, clip: { kind: 'blob', key, name: 'ad.mp4' }, srt: false, chart: false });
  return { request, jobId };
}

interface WatchedJob {
  /** The first progress report `accept` takes; rejects when the job ends first or nothing comes in time. */
  progress: Promise<JobProgress>;
  result: Promise<JobReturn<'annotate'>>;
}

function watchAnnotate(jobId: string, accept: (progress: JobProgress) => boolean): WatchedJob {
  let reached!: (progress: JobProgress) => void;
  const reachedProgress = new Promise<JobProgress>((resolve) => { reached = resolve; });
  const result = producer().queue.result('annotate', jobId, (progress) => { if (accept(progress)) reached(progress); });
  let timer: NodeJS.Timeout | undefined;
  const progress = Promise.race([
    reachedProgress,
    result.then(() => { throw new Error('the job finished before reporting the progress waited for'); }),
    new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('no progress in time')), JOB_TIMEOUT_MS); }),
  ]).finally(() => clearTimeout(timer));
  return { progress, result };
}

/** The outbox's entries for one request: its answer folder, and any half-written one. */
async function outboxEntriesFor(requestId: string): Promise<{ folders: string[]; partial: string[] }> {
  const name = requestFolderName(requestId);
  const entries = await readdir(outboxDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((entry) => entry.isDirectory() && entry.name === name).map((entry) => entry.name);
  const partial = entries.filter((entry) => entry.name.startsWith(`.${name}.`)).map((entry) => entry.name);
  return { folders, partial };
}

async function assertAnnotateDelivered(requestId: string): Promise<string> {
  const { folders, partial } = await outboxEntriesFor(requestId);
  assert.deepEqual(folders, [requestFolderName(requestId)], 'exactly one answer folder for the request');
  assert.deepEqual(partial, [], 'no half-written answer left');
  const folder = path.join(outboxDir, requestFolderName(requestId));
  assert.deepEqual((await readdir(folder)).sort(), ['answer.json', 'labelled.mp4']);
  const answer = JSON.parse(await readFile(path.join(folder, 'answer.json'), 'utf8')) as { request: string; job: string; data: { json: { frames: number } } };
  assert.equal(answer.request, requestId);
  assert.equal(answer.job, 'annotate');
  assert.equal(answer.data.json.frames, AD_FRAMES);
  const streams = (await streamFacts(path.join(folder, 'labelled.mp4'))).map((stream) => stream.codecType).sort();
  assert.deepEqual(streams, ['audio', 'video']);
  return folder;
}

/** The messages of a process's log, for checking their order. */
function messageIndex(logs: LogLine[], matches: (line: LogLine) => boolean, what: string): number {
  const index = logs.findIndex(matches);
  assert.ok(index >= 0, `no "${what}" in the log:\n${logs.map((line) => line.msg).join('\n')}`);
  return index;
}

async function memberFolders(root: string): Promise<void> {
  for (const member of BLACKPINK) {
    await mkdir(path.join(root, member), { recursive: true });
    for (const [index, photo] of enrollPhotosOf(member).entries()) await symlink(photo, path.join(root, member, `${index}${path.extname(photo)}`));
  }
}

before(async () => {
  tempDir = await makeTempDir('worker-procs');
  dataDir = path.join(tempDir, 'data');
  outboxDir = path.join(tempDir, 'outbox');
  await mkdir(path.join(tempDir, 'tmp'));
  const members = path.join(tempDir, 'members');
  await memberFolders(members);
  // The group is enrolled and trained through the queue, by a worker that then stops.
  const setup = await startWorker();
  const env = redisEnvironment();
  assertExit(await idolens(env, 'group', 'create', GROUP, '--queue', '--json'), 0);
  assertExit(await idolens(env, 'import', GROUP, members, '--queue', '--json'), 0);
  assertExit(await idolens(env, 'train', GROUP, '--queue', '--json'), 0);
  await stopWorker(setup);
  const config = loadConfig(redisEnvironment({ IDOLENS_LOG_LEVEL: 'warn' }), { dataDir });
  const logger = createLogger(config.logLevel);
  runtime = await openRuntime(config, logger);
  system = await openJobSystem(config, runtime, logger, { runWorkers: false });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});

after(async () => {
  try {
    for (const worker of processes) await worker.destroy();
    await system?.close(0);
    await runtime?.close();
    redis?.disconnect();
  } finally {
    await deleteKeysWithPrefix(REDIS_URL, PREFIX);
    await rm(tempDir, { recursive: true, force: true });
  }
});

/** The work folders a process made in the workers' temp directory (their names carry its pid). */
async function workFoldersOf(pid: number): Promise<string[]> {
  const entries = await readdir(path.join(tempDir, 'tmp'));
  return entries.filter((name) => name.startsWith('idolens-') && name.includes(`-${pid}-`)).sort();
}

test('kill -9 a worker in the middle of an annotate job that only it had taken: a worker started afterwards finishes it, and the result is delivered exactly once', { timeout: 180_000 }, async () => {
  const workerA = await startWorker();
  const { request, jobId } = await submitAnnotate();
  const watched = watchAnnotate(jobId, (progress) => progress.stage === 'analysing');
  await watched.progress;
  workerA.signal('SIGKILL');
  assert.equal((await workerA.exited).signal, 'SIGKILL');
  await forget(workerA);
  assert.equal(workerA.logs().find(jobDone(jobId)), undefined, 'worker A never finished the job');
  assert.deepEqual(await outboxEntriesFor(request.id).then((entries) => entries.folders), [], 'nothing delivered before worker B');
  const leftBehind = await workFoldersOf(workerA.pid);
  assert.ok(leftBehind.some((name) => name.startsWith('idolens-job-annotate-')) && leftBehind.some((name) => name.startsWith('idolens-clip-')), `worker A left its copies of the clip: ${leftBehind.join(', ')}`);

  const workerB = await startWorker();
  assert.deepEqual(await workFoldersOf(workerA.pid), [], 'worker B removed what worker A left when it started');
  try {
    const returned = await watched.result;
    await workerB.waitForLog(jobDone(jobId), 10_000, 'job done');
    assert.ok(workerB.logs().some((line) => line.msg === 'a job lost its worker and goes back to the queue' && line.jobId === jobId));
    const folder = await assertAnnotateDelivered(request.id);
    assert.deepEqual(returned.receipt, { outbox: folder });
    assert.ok(redis);
    const ledger = await redis.get(`${PREFIX}:delivered:${request.id}`);
    assert.ok(ledger !== null, 'the ledger holds the receipt');
    assert.deepEqual(JSON.parse(ledger), { outbox: folder });
    const queue = new Queue('annotate', { connection: redis, prefix: PREFIX });
    try {
      const job = await Job.fromId(queue, jobId);
      assert.ok(job, 'the finished job is still readable');
      assert.equal(job.attemptsStarted, 2, 'started by A, then again by B');
      assert.equal(job.stalledCounter, 1, 'found stalled once');
      assert.equal(job.attemptsMade, 1, 'one run that ended (B\'s)');
      assert.ok(job.finishedOn !== undefined && job.failedReason === undefined);
    } finally {
      await queue.close();
    }
  } finally {
    await stopWorker(workerB);
  }
});

test('SIGTERM lets the running job finish, then the worker exits 0', { timeout: 120_000 }, async () => {
  const worker = await startWorker();
  const { request, jobId } = await submitAnnotate();
  const watched = watchAnnotate(jobId, () => true);
  await watched.progress;
  worker.signal('SIGTERM');
  const exit = await exitWithin(worker, JOB_TIMEOUT_MS);
  await forget(worker);
  assert.deepEqual(exit, { code: 0, signal: null }, worker.stderr());
  const returned = await watched.result;
  const folder = await assertAnnotateDelivered(request.id);
  assert.deepEqual(returned.receipt, { outbox: folder });
  const logs = worker.logs();
  const stopping = messageIndex(logs, byMessage('stopping'), 'stopping');
  const done = messageIndex(logs, jobDone(jobId), 'job done');
  const stopped = messageIndex(logs, (line) => line.msg === 'stopped', 'stopped');
  assert.ok(stopping < done && done < stopped, 'stopping, then the job done, then stopped');
});

test('the CLI prints the same through the queue as locally', { timeout: 200_000 }, async () => {
  const worker = await startWorker();
  try {
    const env = redisEnvironment();
    const photos = [GROUP_PHOTO.file, blackpinkPhoto('jennie', 4), blackpinkPhoto('lisa', 4), path.join(tempDir, 'missing.jpg')];
    const localDir = path.join(tempDir, 'identify-local');
    const queuedDir = path.join(tempDir, 'identify-queued');
    const local = await idolens(env, 'identify', GROUP, ...photos, '--json', '-o', localDir);
    const queued = await idolens(env, 'identify', GROUP, ...photos, '--json', '-o', queuedDir, '--queue');
    assertExit(local, 1);
    assertExit(queued, 1);
    assert.equal(local.stdout.split('\n').filter(Boolean).length, photos.length, local.stdout);
    assert.equal(queued.stdout.replaceAll(queuedDir, 'OUT'), local.stdout.replaceAll(localDir, 'OUT'));
    const labelled = (await readdir(localDir)).sort();
    assert.equal(labelled.length, photos.length - 1, 'one labelled picture per found photo');
    assert.deepEqual((await readdir(queuedDir)).sort(), labelled);
    for (const name of labelled) assert.deepEqual(await readFile(path.join(queuedDir, name)), await readFile(path.join(localDir, name)), name);

    const trainedLocally = await idolens(env, 'train', GROUP, '--json');
    const trainedQueued = await idolens(env, 'train', GROUP, '--json', '--queue');
    assertExit(trainedLocally, 0);
    assertExit(trainedQueued, 0);
    const report = (run: { stdout: string }) => JSON.parse(run.stdout) as { group: string; accuracy: number; members: { name: string }[] };
    assert.equal(report(trainedLocally).members.length, BLACKPINK.length);
    assert.deepEqual(report(trainedQueued), report(trainedLocally));

    const listedLocally = await idolens(env, 'group', 'list', '--json');
    const listedQueued = await idolens(env, 'group', 'list', '--json', '--queue');
    assertExit(listedLocally, 0);
    assertExit(listedQueued, 0);
    assert.deepEqual(JSON.parse(listedLocally.stdout), { group: GROUP, members: BLACKPINK.length, samples: 16, trained: true });
    assert.equal(listedQueued.stdout, listedLocally.stdout);

    const cutLocally = await idolens(env, 'cut', GROUP, AD, '--member', 'lisa', '-o', path.join(tempDir, 'cut-local.mp4'), '--json');
    const cutQueued = await idolens(env, 'cut', GROUP, AD, '--member', 'lisa', '-o', path.join(tempDir, 'cut-queued.mp4'), '--json', '--queue');
    assertExit(cutLocally, 0);
    assertExit(cutQueued, 0);
    const cut = (run: { stdout: string }) => JSON.parse(run.stdout.replaceAll(/cut-(local|queued)/g, 'cut')) as Record<string, unknown>;
    assert.deepEqual(cut(cutQueued), cut(cutLocally));
    assert.equal((await streamFacts(path.join(tempDir, 'cut-queued.mp4'))).filter((stream) => stream.codecType === 'video').length, 1);
  } finally {
    await stopWorker(worker);
  }
});

test('npm start runs without REDIS_URL and stops cleanly on SIGTERM; a worker without REDIS_URL is a usage error', { timeout: 60_000 }, async () => {
  const env = testEnvironment({ IDOLENS_WORKERS: '1', IDOLENS_LOG_LEVEL: 'info', IDOLENS_OUTBOX: path.join(tempDir, 'serve-outbox') });
  delete env.REDIS_URL;
  const serveData = path.join(tempDir, 'serve-data');
  const service = startIdolens(['--data', serveData, 'serve'], env);
  processes.add(service);
  const ready = await service.waitForLog(byMessage('idolens ready'), READY_TIMEOUT_MS, 'idolens ready');
  assert.match(String(ready.msg), /in-process queue, with job workers in this process/);
  service.signal('SIGTERM');
  assert.deepEqual(await exitWithin(service, 30_000), { code: 0, signal: null }, service.stderr());
  await forget(service);
  assert.ok(service.logs().some((line) => line.msg === 'stopped'));

  const worker = await runCliWithEnvironment(env, ['--data', serveData, 'worker']);
  assertExit(worker, 2);
  assert.match(worker.stderr, /REDIS_URL/);
  assert.equal(worker.stdout, '');
});
