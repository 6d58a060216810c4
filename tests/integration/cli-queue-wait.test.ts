/**
 * `--queue` with no worker running: the CLI says it is waiting for one (and how to start one) after a few
 * seconds, then withdraws the job and exits 1 after IDOLENS_QUEUE_WAIT_SECONDS, instead of waiting in silence.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { runCliWithEnvironment } from '../helpers/cli.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from '../helpers/redis-server.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

let tempDir: string;
const prefix = uniquePrefix('queue-wait');

before(async () => {
  tempDir = await makeTempDir('queue-wait');
});

after(async () => {
  await deleteKeysWithPrefix(sharedRedisUrl(), prefix);
  await rm(tempDir, { recursive: true, force: true });
});

test('--queue with no worker says it waits for one, then withdraws the job and exits 1 after the configured time', async () => {
  const env = testEnvironment({ REDIS_URL: sharedRedisUrl(), IDOLENS_REDIS_PREFIX: prefix, IDOLENS_QUEUE_WAIT_SECONDS: '7' });
  const started = performance.now();
  const run = await runCliWithEnvironment(env, ['--data', path.join(tempDir, 'data'), 'group', 'create', 'TWICE', '--queue', '--json']);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /waiting for a worker \(none has taken this job for \d+ seconds?: is one running\? start one with `npm run worker`/);
  assert.match(run.stderr, /No job worker took the job in \d+ seconds .*withdrawn/);
  assert.ok(seconds >= 7 && seconds < 30, `gave up after ${seconds.toFixed(1)} s`);
  const error = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { error?: { code?: string } };
  assert.equal(error.error?.code, 'no_worker');
  // Withdrawn: nothing is left waiting to run later for nobody.
  const redis = new Redis(sharedRedisUrl());
  try {
    assert.equal(await redis.llen(`${prefix}:group:wait`), 0);
  } finally {
    redis.disconnect();
  }
});
