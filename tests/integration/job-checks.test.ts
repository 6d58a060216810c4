/**
 * What a worker checks on a job it reads back from Redis before running it: its data against its kind's schema (a
 * job that is not what its kind carries fails for good, its requester told when the request is readable), and
 * whether its asker cancelled it meanwhile.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import { checkJobData } from '../../workers/job-schemas.ts';
import type { JobRequest } from '../../workers/jobs.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';
import { RecordingDelivery } from '../helpers/recording-delivery.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from '../helpers/redis-server.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const request = (id: string): JobRequest => ({ id, server: 'discord:1', by: 'u1', target: { kind: 'outbox' } });

describe('job data read back from Redis', () => {
  let tempDir: string;
  let config: Config;
  let runtime: Runtime;
  let system: JobSystem;
  let queue: Queue;
  const delivery = new RecordingDelivery();

  before(async () => {
    tempDir = await makeTempDir('job-data');
    config = loadConfig(testEnvironment({ REDIS_URL: sharedRedisUrl(), IDOLENS_REDIS_PREFIX: uniquePrefix('job-data'), IDOLENS_LOG_LEVEL: 'silent' }), { dataDir: path.join(tempDir, 'data') });
    const logger = createLogger(config.logLevel);
    runtime = await openRuntime(config, logger);
    system = await openJobSystem(config, runtime, logger, { runWorkers: true, delivery });
    queue = new Queue('identify', { connection: { url: sharedRedisUrl() }, prefix: config.redisPrefix });
  });

  after(async () => {
    await queue?.close();
    await system?.close(2_000);
    await runtime?.close();
    await deleteKeysWithPrefix(sharedRedisUrl(), config.redisPrefix);
    await rm(tempDir, { recursive: true, force: true });
  });

  async function failedReason(jobId: string): Promise<string> {
    for (let waited = 0; waited < 20_000; waited += 100) {
      // The job read first, its state second: it may fail in between, so the reason counts only once it is there.
      const job = await queue.getJob(jobId);
      if (job !== undefined && typeof job.failedReason === 'string' && (await job.getState()) === 'failed') return job.failedReason;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${jobId} did not fail`);
  }

  test('a job whose media reference escapes the blob store fails for good, and its requester is told', async () => {
    const data = { request: request('bad-ref'), group: 'TWICE', detector: 'accurate', render: true, inputs: [{ ref: { kind: 'blob', key: '../../etc/passwd', name: 'x.jpg' } }] };
    await queue.add('identify', data, { jobId: 'bad-ref', attempts: 3 });
    assert.match(await failedReason('bad-ref'), /^\[internal\] /);
    const told = await delivery.waitFor('bad-ref', 10_000);
    assert.deepEqual(told.kind === 'failure' ? told.failure.code : told.kind, 'internal');
    assert.equal((await queue.getJob('bad-ref'))?.attemptsMade, 1, 'not retried');
  });

  test('a job that is not a job at all fails without anyone to tell', async () => {
    await queue.add('identify', { hello: 'world' }, { jobId: 'garbage', attempts: 3 });
    assert.match(await failedReason('garbage'), /^\[internal\] /);
    assert.deepEqual(delivery.records.filter((record) => record.request.id === 'garbage'), []);
  });

  test('a request its asker cancelled (the mark is in Redis) fails as cancelled when a worker takes its job', async () => {
    await system.cancellations.cancel('cancelled-early');
    await system.producer.submit('group', { request: request('cancelled-early'), action: 'list' });
    const told = await delivery.waitFor('cancelled-early', 10_000);
    assert.deepEqual(told.kind === 'failure' ? told.failure : told.kind, { code: 'cancelled', message: 'Cancelled: nothing was written.' });
    await system.producer.submit('group', { request: request('not-cancelled'), action: 'list' });
    assert.equal((await delivery.waitFor('not-cancelled', 10_000)).kind, 'answer');
  });

  test('the schemas take what the producers make and refuse unknown fields and wrong kinds', () => {
    const good = { request: request('ok'), group: 'TWICE', detector: 'fast', render: false, inputs: [{ ref: { kind: 'url', url: 'https://cdn.example/a.jpg', name: 'a.jpg', trust: 'platform' } }], maxSide: 1280 };
    assert.equal(checkJobData('identify', good).ok, true);
    assert.equal(checkJobData('identify', { ...good, extra: 1 }).ok, false);
    assert.equal(checkJobData('identify', { ...good, detector: 'psychic' }).ok, false);
    assert.equal(checkJobData('group', { request: request('g'), action: 'rename', group: 'A', newName: 'B' }).ok, true);
    const refused = checkJobData('enroll', { request: request('e'), group: 'G', member: 'M', inputs: [{ source: 'x', error: { code: 'made_up', message: 'no' } }] });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.problem, /^inputs\.0/);
  });
});
