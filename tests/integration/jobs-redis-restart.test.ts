/**
 * A real job system (BullMQ, the Redis store, gate and ledger) on a private redis-server that is restarted twice
 * while jobs are queued, running and being submitted: once cleanly (SIGTERM), once as a crash (SIGKILL). The
 * append-only file keeps every acknowledged write; the test checks that the clients wait for the server and go
 * on, so that every request gets exactly one answer. Group jobs only: they need the store, never the models.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import type { GroupAction } from '../../workers/jobs.ts';
import { BullQueue } from '../../workers/queue/bullmq-queue.ts';
import { jobIdFor } from '../../workers/queue/queue.ts';
import type { GroupResult } from '../../workers/results.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';
import { RecordingDelivery, type DeliveryRecord } from '../helpers/recording-delivery.ts';
import { startRedisServer, uniquePrefix, type PrivateRedis } from '../helpers/redis-server.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const SERVER = 'restart-test';
const DOWN_MS = 800;
/** Well below the store's 30 s lock lease: a worker waiting out its own lock would show. */
const ANSWER_TIMEOUT_MS = 20_000;

interface Submitted {
  id: string;
  action: GroupAction;
}

/** Resolves once nothing accepts connections on the port (the server is really down). */
async function waitUntilDown(port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await sleep(10);
  }
  throw new Error(`Redis on port ${port} did not go down`);
}

function expectedResult(action: GroupAction): GroupResult | undefined {
  switch (action.action) {
    case 'create': return { action: 'create', group: action.group };
    case 'rename': return { action: 'rename', group: action.newName, renamedFrom: action.group };
    case 'delete': return { action: 'delete', group: action.group };
    case 'list': return undefined;
  }
}

function describeRecord(record: DeliveryRecord): string {
  return record.kind === 'failure' ? `failure ${JSON.stringify(record.failure)}` : record.kind;
}

describe('Redis restarted during a run', () => {
  let redis: PrivateRedis;
  let tempDir: string;
  let config: Config;
  let runtime: Runtime;
  let system: JobSystem;
  const delivery = new RecordingDelivery();
  const submitted: Submitted[] = [];

  before(async () => {
    redis = await startRedisServer();
    tempDir = await makeTempDir('jobs-restart');
    config = loadConfig(testEnvironment({
      REDIS_URL: redis.url,
      IDOLENS_REDIS_PREFIX: uniquePrefix('jobs-restart'),
      IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'silent',
      IDOLENS_MAX_QUEUED_PER_SERVER: '1000',
      IDOLENS_RETRY_DELAY_MS: '200',
      // A job fetched just as the connection dropped stays active, unrenewed, until its lock expires and the
      // stalled check hands it back (BullMQ cannot tell a lost reply): a short lock keeps that wait short.
      IDOLENS_JOB_LOCK_SECONDS: '5',
    }), { dataDir: path.join(tempDir, 'data') });
    const logger = createLogger(config.logLevel);
    runtime = await openRuntime(config, logger);
    system = await openJobSystem(config, runtime, logger, { runWorkers: true, delivery });
  });

  after(async () => {
    try {
      await system?.close(5_000);
      await runtime?.close();
    } finally {
      await redis?.stop();
      await rm(tempDir, { recursive: true, force: true });
    }
  });

  /** The request's answer or failure; a timeout says where its job is, to tell a lost job from a stuck one. */
  async function outcome(id: string): Promise<DeliveryRecord> {
    try {
      return await delivery.waitFor(id, ANSWER_TIMEOUT_MS);
    } catch (error) {
      throw new Error(`${id}: ${(error as Error).message}; its job: ${await whereIsJob(jobIdFor('group', id))}`, { cause: error });
    }
  }

  async function whereIsJob(jobId: string): Promise<string> {
    const queue = new Queue('group', { connection: { host: '127.0.0.1', port: redis.port }, prefix: config.redisPrefix });
    try {
      const job = await queue.getJob(jobId);
      if (!job) return 'not in the queue';
      const lockMs = await withProbe((probe) => probe.pttl(`${config.redisPrefix}:group:${jobId}:lock`));
      return `${await job.getState()}, ${job.attemptsStarted} runs started, lock expires in ${lockMs} ms, failure: ${job.failedReason || 'none'}`;
    } finally {
      await queue.close();
    }
  }

  /** A short-lived client of our own, to look at the state the job system left. */
  async function withProbe<T>(use: (probe: Redis) => Promise<T>): Promise<T> {
    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await probe.connect();
      return await use(probe);
    } finally {
      probe.disconnect();
    }
  }

  /** Hands in one group job as a bot would; resolves with its request id when the producer has queued it. */
  async function submit(action: GroupAction): Promise<string> {
    const id = `restart-${submitted.length + 1}-${action.action}`;
    submitted.push({ id, action });
    await system.producer.submit('group', { ...action, request: { id, server: SERVER, by: 'tester', target: { kind: 'caller' } } });
    return id;
  }

  const creates = (groups: readonly string[]): Promise<string[]> => Promise.all(groups.map((group) => submit({ action: 'create', group })));
  const names = (letter: string, count: number): string[] => Array.from({ length: count }, (_, index) => `${letter}${index + 1}`);

  /** Submits while the server is down: every submission must wait for it, none may fail or finish early. */
  async function submitWhileDown(restarting: Promise<void>, work: () => Promise<unknown>): Promise<void> {
    await waitUntilDown(redis.port);
    let settled = false;
    const submitting = work().finally(() => { settled = true; });
    await sleep(DOWN_MS / 4);
    assert.equal(settled, false, 'a submission settled while Redis was down');
    await restarting;
    await submitting;
  }

  test('producers and workers reconnect, no job is lost', { timeout: 55_000 }, async () => {
    assert.ok(system.queue instanceof BullQueue, 'the job system runs on BullMQ');

    const firstCreates = await creates(names('A', 10));
    const firstRestart = redis.restart({ downMs: DOWN_MS });
    await submitWhileDown(firstRestart, () => Promise.all([creates(names('B', 8)), submit({ action: 'list' }), submit({ action: 'list' })]));

    // Renames need their group: wait for those creates before the second restart.
    await Promise.all(firstCreates.slice(0, 5).map(outcome));
    await Promise.all([...names('A', 5).map((group, index) => submit({ action: 'rename', group, newName: `R${index + 1}` })), creates(names('C', 7))]);
    const secondRestart = redis.restart({ downMs: DOWN_MS, kill: true });
    await submitWhileDown(secondRestart, () => Promise.all([creates(names('D', 3)), submit({ action: 'list' })]));

    for (const { id, action } of submitted) {
      const record = await outcome(id);
      assert.equal(record.kind, 'answer', `${id}: ${describeRecord(record)}`);
      const { data } = (record as Extract<DeliveryRecord, { kind: 'answer' }>).answer;
      const expected = expectedResult(action);
      if (expected) assert.deepEqual(data, expected, id);
      else assert.equal((data as GroupResult).action, 'list', id);
    }

    // A job run twice would deliver late: give it the time to show.
    await sleep(1_000);
    for (const { id } of submitted) assert.equal(delivery.outcomesFor(id).length, 1, `${id} was answered ${delivery.outcomesFor(id).length} times`);
    assert.equal(delivery.records.filter((record) => record.kind !== 'progress').length, submitted.length);

    const stored = (await runtime.context.store.listGroups(SERVER)).map((group) => group.name).sort();
    const expectedGroups = [...names('A', 10).slice(5), ...names('R', 5), ...names('B', 8), ...names('C', 7), ...names('D', 3)].sort();
    assert.deepEqual(stored, expectedGroups);

    const counts = await system.queue.counts('group');
    const { waiting, active, delayed, completed, failed } = counts;
    assert.deepEqual({ waiting, active, delayed, completed, failed }, { waiting: 0, active: 0, delayed: 0, completed: submitted.length, failed: 0 });
    assert.equal(await withProbe((probe) => probe.zcard(`${config.redisPrefix}:live:${SERVER}`)), 0, 'every job released its server slot');
  });
});
