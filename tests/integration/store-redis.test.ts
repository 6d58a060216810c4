import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type Keyv from 'keyv';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime } from '../../core/runtime.ts';
import { GroupStore } from '../../core/store/group-store.ts';
import { closeKeyv, openKeyv } from '../../core/store/open.ts';
import type { NewSample } from '../../core/store/records.ts';
import { RedisLocks } from '../../core/store/redis-locks.ts';
import { trainingLockKey, type StoredGroupModel } from '../../core/training/train-group.ts';
import { fixtureSample } from '../helpers/store-child.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prefix = `idolens-test-store-${process.pid}-${randomBytes(3).toString('hex')}`;
const raw = new Redis(REDIS_URL);
const cleanups: (() => Promise<void>)[] = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  const keys = await raw.keys(`${prefix}:*`);
  if (keys.length > 0) await raw.del(...keys);
  await raw.quit();
});

let namespaces = 0;
function freshNamespace(): string {
  namespaces += 1;
  return `${prefix}:ns${namespaces}`;
}

/** A store on a Redis connection of its own, as another process would have; with Redis locks unless told otherwise. */
async function openRedisStore(namespace: string): Promise<{ store: GroupStore; keyv: Keyv }> {
  const keyv = await openKeyv({ url: REDIS_URL, dataDir: '/nonexistent', namespace });
  const lockConnection = new Redis(REDIS_URL);
  cleanups.push(async () => {
    await closeKeyv(keyv);
    await lockConnection.quit();
  });
  return { store: new GroupStore(keyv, { locks: new RedisLocks(lockConnection, { prefix }) }), keyv };
}

describe('GroupStore on Redis', () => {
  test('creates, lists, renames and deletes groups, every key under the namespace', async () => {
    const namespace = freshNamespace();
    const { store } = await openRedisStore(namespace);
    await store.createGroup('guild-1', 'BLACK PINK');
    await store.createGroup('guild-1', 'TWICE');
    await store.addSamples('guild-1', 'TWICE', 'Nayeon', [fixtureSample(1)]);
    assert.deepEqual((await store.listGroups('guild-1')).map((group) => group.name), ['BLACK PINK', 'TWICE']);

    const renamed = await store.renameGroup('guild-1', 'black pink', 'BLACKPINK');
    await store.deleteGroup('guild-1', 'twice');

    assert.equal(renamed.name, 'BLACKPINK');
    assert.deepEqual((await store.listGroups('guild-1')).map((group) => group.name), ['BLACKPINK']);
    assert.equal(await store.getGroup('guild-1', 'TWICE'), undefined);
    const keys = (await raw.keys(`${namespace}:*`)).sort();
    assert.deepEqual(keys, [`${namespace}:group:guild-1:blackpink`, `${namespace}:groups:guild-1`]);
  });

  test('keeps embeddings, thumbnails and models exact', async () => {
    const { store } = await openRedisStore(freshNamespace());
    await store.createGroup('guild-1', 'aespa');
    const extremes: NewSample = { ...fixtureSample(2), embedding: Float32Array.from([0, -0, 1e-45, -3.4028234663852886e38, 0.1, Math.PI, -1 / 3]) };
    const inputs = [fixtureSample(1), extremes];

    const group = await store.addSamples('guild-1', 'aespa', '카리나', inputs);
    await store.putModel('guild-1', 'aespa', { groupRevision: group.revision, payload: { kind: 'test', weights: [0.25, -1.5] } });
    const samples = await store.getSamples('guild-1', 'AESPA', '카리나');

    assert.equal(samples.length, 2);
    samples.forEach((sample, index) => {
      const input = inputs[index];
      assert.ok(input);
      assert.ok(sample.embedding instanceof Float32Array);
      assert.deepEqual(sample.embedding, input.embedding);
      assert.ok(Object.is(sample.embedding[1], extremes.embedding[1]) || index === 0);
      assert.ok(sample.thumbnailJpeg.equals(input.thumbnailJpeg));
      assert.deepEqual(sample.provenance, input.provenance);
    });
    assert.deepEqual(await store.getModel('guild-1', 'aespa'), { groupRevision: 1, payload: { kind: 'test', weights: [0.25, -1.5] } });
  });

  test('two stores on separate connections see each other\'s writes', async () => {
    const namespace = freshNamespace();
    const first = await openRedisStore(namespace);
    const second = await openRedisStore(namespace);

    await first.store.createGroup('guild-2', 'IVE');
    await first.store.addSamples('guild-2', 'IVE', 'Wonyoung', [fixtureSample(3), fixtureSample(4)]);
    await second.store.addSamples('guild-2', 'ive', 'Yujin', [fixtureSample(5)]);
    await second.store.renameGroup('guild-2', 'IVE', 'I.V.E');

    const seenByFirst = await first.store.requireGroup('guild-2', 'i.v.e');
    assert.deepEqual(seenByFirst.members.map((member) => [member.name, member.sampleIds.length]), [['Wonyoung', 2], ['Yujin', 1]]);
    assert.deepEqual((await first.store.getSamples('guild-2', 'I.V.E')).map((sample) => sample.provenance.source), ['photo-3.jpg', 'photo-4.jpg', 'photo-5.jpg']);
  });

  test('stores with different namespaces on one Redis stay apart', async () => {
    const { store: ours } = await openRedisStore(freshNamespace());
    const { store: theirs } = await openRedisStore(freshNamespace());
    await ours.createGroup('guild-3', 'ITZY');
    assert.deepEqual(await theirs.listGroups('guild-3'), []);
    await theirs.createGroup('guild-3', 'ITZY');
    await theirs.deleteGroup('guild-3', 'ITZY');
    assert.equal((await ours.requireGroup('guild-3', 'ITZY')).name, 'ITZY');
  });

  test('concurrent enrolls from two stores on separate connections lose no sample', async () => {
    const namespace = freshNamespace();
    const first = await openRedisStore(namespace);
    const second = await openRedisStore(namespace);
    await first.store.createGroup('guild-4', 'NewJeans');
    const perStore = 12;

    await Promise.all([
      ...Array.from({ length: perStore }, async (_, index) => first.store.addSamples('guild-4', 'NewJeans', index % 2 === 0 ? 'Hanni' : 'Minji', [fixtureSample(100 + index)])),
      ...Array.from({ length: perStore }, async (_, index) => second.store.addSamples('guild-4', 'NewJeans', index % 2 === 0 ? 'Hanni' : 'Haerin', [fixtureSample(200 + index)])),
    ]);

    const group = await second.store.requireGroup('guild-4', 'NewJeans');
    assert.equal(group.revision, 2 * perStore);
    const samples = await first.store.getSamples('guild-4', 'NewJeans');
    assert.equal(samples.length, 2 * perStore);
    const sources = new Set(samples.map((sample) => sample.provenance.source));
    for (let index = 0; index < perStore; index += 1) {
      assert.ok(sources.has(`photo-${100 + index}.jpg`) && sources.has(`photo-${200 + index}.jpg`), `sample ${index} of each store is kept`);
    }
  });

  test('an unreachable Redis fails to open within the connect timeout, without the password in the message', async () => {
    const started = Date.now();
    await assert.rejects(openKeyv({ url: 'redis://user:secret@127.0.0.1:1', dataDir: '/nonexistent', redisConnectTimeoutMs: 500 }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /127\.0\.0\.1:1/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, `gave up after ${Date.now() - started} ms`);
  });
});

interface ChildResult { retrained: boolean; revision: number }

/**
 * Another process with its own runtime on the same Redis: it opens, says "ready", waits for "go",
 * asks for the group's current model and prints whether it trained it.
 */
function startTrainingProcess(environment: NodeJS.ProcessEnv): { ready: Promise<void>; go(): void; result: Promise<ChildResult> } {
  const module = (file: string): string => JSON.stringify(pathToFileURL(path.join(repoRoot, file)).href);
  const script = `
    import { createInterface } from 'node:readline';
    const { loadConfig } = await import(${module('core/config.ts')});
    const { createLogger } = await import(${module('core/logger.ts')});
    const { openRuntime } = await import(${module('core/runtime.ts')});
    const { currentModel } = await import(${module('core/training/train-group.ts')});
    const config = loadConfig(process.env, { dataDir: process.env.TEST_DATA_DIR });
    const runtime = await openRuntime(config, createLogger(config.logLevel));
    try {
      const lines = createInterface({ input: process.stdin });
      console.log('ready');
      for await (const line of lines) if (line === 'go') break;
      lines.close();
      const trained = await currentModel(runtime.context, process.env.TEST_SERVER, process.env.TEST_GROUP);
      console.log(JSON.stringify({ retrained: trained.retrained, revision: trained.group.revision }));
    } finally {
      await runtime.close();
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, env: environment, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (line === 'ready') markReady();
  });
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = lines.at(-1);
      if (code !== 0 || last === undefined || last === 'ready') reject(new Error(`training process exited with ${code}: ${lines.join('\n')}`));
      else resolve(JSON.parse(last) as ChildResult);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), result };
}

test('two processes asking for a stale group\'s model at once train it once', { timeout: 60_000 }, async () => {
  const tempDir = await makeTempDir('store-redis');
  cleanups.push(async () => rm(tempDir, { recursive: true, force: true }));
  const environment = testEnvironment({
    REDIS_URL, IDOLENS_REDIS_PREFIX: prefix, IDOLENS_LOG_LEVEL: 'silent',
    TEST_DATA_DIR: path.join(tempDir, 'data'), TEST_SERVER: 'guild-9', TEST_GROUP: 'LE SSERAFIM',
  });
  const config = loadConfig(environment, { dataDir: path.join(tempDir, 'data') });
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  cleanups.push(async () => runtime.close());
  const { store, embedder } = runtime.context;
  const sample = (seed: number): NewSample => ({ ...fixtureSample(seed), embedderId: embedder.id });
  await store.createGroup('guild-9', 'LE SSERAFIM');
  await store.addSamples('guild-9', 'LE SSERAFIM', 'Chaewon', [1, 2, 3].map(sample));
  await store.addSamples('guild-9', 'LE SSERAFIM', 'Sakura', [11, 12, 13].map(sample));

  const processes = [startTrainingProcess(environment), startTrainingProcess(environment)];
  await Promise.all(processes.map(async (child) => child.ready));
  // Both find no model and queue on the training lock, which this process holds until both have asked.
  await store.withLock(trainingLockKey('guild-9', 'le sserafim'), async () => {
    for (const child of processes) child.go();
    await sleep(1500);
    assert.equal(await store.getModel('guild-9', 'LE SSERAFIM'), undefined);
  });
  const results = await Promise.all(processes.map(async (child) => child.result));

  assert.deepEqual(results.map((result) => result.revision), [2, 2]);
  assert.deepEqual(results.map((result) => result.retrained).sort(), [false, true]);
  const stored = await store.getModel<StoredGroupModel>('guild-9', 'LE SSERAFIM');
  assert.equal(stored?.groupRevision, 2);
  assert.deepEqual(stored.payload.report.members.map((member) => member.name), ['Chaewon', 'Sakura']);
});
