import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GroupStore } from '../../core/store/group-store.ts';
import { closeKeyv, openKeyv } from '../../core/store/open.ts';
import { CHILD_GROUP, fixtureSample, snapshot, writeFixture, type StoreSnapshot } from '../helpers/store-child.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const childScript = path.join(repoRoot, 'tests', 'helpers', 'store-child.ts');
const tempDirs: string[] = [];

after(async () => {
  await Promise.all(tempDirs.map(async (dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idolens-store-'));
  tempDirs.push(dir);
  return path.join(dir, 'data');
}

async function runChild(action: 'write' | 'read', dataDir: string, server: string): Promise<StoreSnapshot> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', childScript, action, dataDir, server], { cwd: repoRoot, timeout: 60_000 });
  return JSON.parse(stdout) as StoreSnapshot;
}

async function withStore<T>(dataDir: string, use: (store: GroupStore) => Promise<T>): Promise<T> {
  const keyv = await openKeyv({ dataDir });
  try {
    return await use(new GroupStore(keyv));
  } finally {
    await closeKeyv(keyv);
  }
}

test('data written by another process is read back exactly in this one', async () => {
  const dataDir = await tempDataDir();
  const written = await runChild('write', dataDir, 'guild-1');

  const read = await withStore(dataDir, async (store) => snapshot(store, 'guild-1'));

  assert.deepEqual(read, written);
  assert.deepEqual(read.groups.map((group) => group.name), [CHILD_GROUP]);
  assert.equal(read.samples.length, 3);
  assert.deepEqual(read.samples[0]?.embedding, [...fixtureSample(1).embedding]);
  assert.equal(read.samples[0]?.thumbnail, fixtureSample(1).thumbnailJpeg.toString('base64'));
  assert.deepEqual(read.model, { groupRevision: 2, payload: { kind: 'centroids', written: 'guild-1' } });
});

test('data written by this process is read by another process while this one keeps the file open', async () => {
  const dataDir = await tempDataDir();
  const keyv = await openKeyv({ dataDir });
  try {
    const store = new GroupStore(keyv);
    await writeFixture(store, 'guild-2');
    const expected = await snapshot(store, 'guild-2');

    const readByChild = await runChild('read', dataDir, 'guild-2');

    assert.deepEqual(readByChild, expected);
  } finally {
    await closeKeyv(keyv);
  }
});

test('two processes writing the same file at the same time both succeed', async () => {
  const dataDir = await tempDataDir();
  const keyv = await openKeyv({ dataDir });
  try {
    const store = new GroupStore(keyv);
    await store.createGroup('guild-b', 'IVE');
    let childDone = false;
    const child = runChild('write', dataDir, 'guild-a').finally(() => { childDone = true; });
    let added = 0;
    // Keep writing until the child has finished, so the two writers really overlap.
    while (!childDone || added < 20) {
      await store.addSamples('guild-b', 'IVE', 'Wonyoung', [fixtureSample(100 + added)]);
      added += 1;
    }
    const childResult = await child;

    const ive = await store.requireGroup('guild-b', 'IVE');
    assert.equal(ive.revision, added);
    assert.equal(ive.members[0]?.sampleIds.length, added);
    assert.deepEqual(await snapshot(store, 'guild-a'), childResult);
  } finally {
    await closeKeyv(keyv);
  }
});

test('a store reopened after closing sees everything that was committed', async () => {
  const dataDir = await tempDataDir();
  await withStore(dataDir, async (store) => writeFixture(store, 'guild-3'));
  const first = await withStore(dataDir, async (store) => snapshot(store, 'guild-3'));
  await withStore(dataDir, async (store) => store.forgetMember('guild-3', CHILD_GROUP, 'nayeon'));

  const second = await withStore(dataDir, async (store) => snapshot(store, 'guild-3'));

  assert.equal(first.samples.length, 3);
  assert.deepEqual(second.groups[0]?.members, [{ name: '모모', samples: 1 }]);
  assert.equal(second.samples.length, 1);
});
