import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import KeyvSqlite from '@keyv/sqlite';
import type Keyv from 'keyv';
import sharp from 'sharp';
import { IdolensError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { GroupStore } from '../../core/store/group-store.ts';
import { assertServerId, displayName, nameKey } from '../../core/store/names.ts';
import { KEYV_NAMESPACE, closeKeyv, keyvOver, openKeyv } from '../../core/store/open.ts';
import type { NewSample, SampleRecord } from '../../core/store/records.ts';

const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'idolens-store-unit-'));
after(async () => rm(tempRoot, { recursive: true, force: true }));

const thumbnail = await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 200, g: 120, b: 90 } } }).jpeg().toBuffer();

/** One armed failure for the next write or delete of a key in the given key space (e.g. `group:`). */
class FaultPlan {
  private armed: { operation: 'set' | 'delete'; prefix: string } | undefined;
  failNext(operation: 'set' | 'delete', prefix: string): void {
    this.armed = { operation, prefix: `${KEYV_NAMESPACE}:${prefix}` };
  }
  check(operation: 'set' | 'delete', key: string): void {
    if (this.armed?.operation !== operation || !key.startsWith(this.armed.prefix)) return;
    this.armed = undefined;
    throw new Error(`injected ${operation} failure on ${key}`);
  }
}

/** The real SQLite adapter with a fault injected into its writes. */
class FaultySqlite extends KeyvSqlite {
  readonly faults = new FaultPlan();
  override async set(key: string, value: unknown): Promise<unknown> {
    this.faults.check('set', key);
    return super.set(key, value);
  }
  override async delete(key: string): Promise<boolean> {
    this.faults.check('delete', key);
    return super.delete(key);
  }
  override async deleteMany(keys: string[]): Promise<boolean> {
    for (const key of keys) this.faults.check('delete', key);
    return super.deleteMany(keys);
  }
}

/** A plain in-memory Map store (keyv's default adapter) with the same injected faults. */
class FaultyMap extends Map<string, unknown> {
  readonly faults = new FaultPlan();
  override set(key: string, value: unknown): this {
    this.faults.check('set', key);
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.faults.check('delete', key);
    return super.delete(key);
  }
}

interface Harness { keyv: Keyv; faults: FaultPlan }

const backends: { name: string; open: () => Promise<Harness> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const file = path.join(await mkdtemp(path.join(tempRoot, 'db-')), 'idolens.sqlite');
      const store = new FaultySqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
      return { keyv: keyvOver(store), faults: store.faults };
    },
  },
  {
    name: 'in-memory map',
    open: async () => {
      const store = new FaultyMap();
      return { keyv: keyvOver(store), faults: store.faults };
    },
  },
];

let seedCounter = 0;
function newSample(overrides: Partial<NewSample> = {}): NewSample {
  seedCounter += 1;
  const seed = seedCounter;
  return {
    embedding: Float32Array.from({ length: 128 }, (_, index) => Math.cos(seed + index * 0.37) * 0.25),
    embedderId: 'dlib-resnet-v1/test',
    thumbnailJpeg: thumbnail,
    contentHash: createHash('sha256').update(`photo bytes ${seed}`).digest('hex'),
    box: { x: 10 + seed, y: 20, width: 90.5, height: 110 },
    detectionScore: 0.97,
    sharpness: 150.25,
    flagged: false,
    provenance: { source: `upload-${seed}.jpg`, addedBy: 'user:42', addedAt: '2025-03-04T05:06:07.000Z' },
    ...overrides,
  };
}

async function rejectsWithCode(work: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(work, (error: unknown) => error instanceof IdolensError && error.code === code);
}

function sourcesOf(samples: readonly SampleRecord[]): string[] {
  return samples.map((sample) => sample.provenance.source);
}

for (const backend of backends) {
  describe(`GroupStore on ${backend.name}`, () => {
    const harnesses: Harness[] = [];
    after(async () => {
      for (const harness of harnesses) await closeKeyv(harness.keyv);
    });

    async function openStore(): Promise<{ store: GroupStore; faults: FaultPlan; keyv: Keyv; cleanupErrors: unknown[] }> {
      const harness = await backend.open();
      harnesses.push(harness);
      const cleanupErrors: unknown[] = [];
      const store = new GroupStore(harness.keyv, { onCleanupError: (error) => cleanupErrors.push(error) });
      return { store, faults: harness.faults, keyv: harness.keyv, cleanupErrors };
    }

    test('creates, lists, finds case-insensitively, renames and deletes groups', async () => {
      const { store } = await openStore();
      const created = await store.createGroup('srv', '  BLACK   PINK ');
      assert.equal(created.name, 'BLACK PINK');
      assert.equal(created.revision, 0);
      await store.createGroup('srv', 'TWICE');

      assert.deepEqual((await store.listGroups('srv')).map((group) => group.name), ['BLACK PINK', 'TWICE']);
      assert.deepEqual(await store.getGroup('srv', 'black pink'), created);
      assert.equal(await store.getGroup('srv', 'aespa'), undefined);

      const renamed = await store.renameGroup('srv', 'black pink', 'BLACKPINK');
      assert.equal(renamed.name, 'BLACKPINK');
      assert.equal(await store.getGroup('srv', 'black pink'), undefined);
      assert.equal((await store.requireGroup('srv', 'blackpink')).name, 'BLACKPINK');

      const recased = await store.renameGroup('srv', 'blackpink', 'BlackPink');
      assert.equal(recased.key, renamed.key);
      assert.equal(recased.name, 'BlackPink');

      await store.deleteGroup('srv', 'TWICE');
      assert.deepEqual((await store.listGroups('srv')).map((group) => group.name), ['BlackPink']);
    });

    test('a retried create, rename or delete of the same request finds its own work done; another request still conflicts', async () => {
      const { store } = await openStore();
      const created = await store.createGroup('srv', 'ITZY', 'discord:1');
      assert.deepEqual(await store.createGroup('srv', 'itzy', 'discord:1'), created);
      await assert.rejects(store.createGroup('srv', 'ITZY', 'discord:2'), (error: unknown) => error instanceof IdolensError && error.code === 'group_exists');
      await assert.rejects(store.createGroup('srv', 'ITZY'), (error: unknown) => error instanceof IdolensError && error.code === 'group_exists');
      const renamed = await store.renameGroup('srv', 'ITZY', 'MIDZY', 'discord:3');
      assert.deepEqual(await store.renameGroup('srv', 'ITZY', 'MIDZY', 'discord:3'), renamed);
      await assert.rejects(store.renameGroup('srv', 'ITZY', 'MIDZY', 'discord:4'), (error: unknown) => error instanceof IdolensError && error.code === 'group_not_found');
      const deleted = await store.deleteGroup('srv', 'MIDZY', 'discord:5');
      assert.deepEqual(await store.deleteGroup('srv', 'midzy', 'discord:5'), deleted);
      await assert.rejects(store.deleteGroup('srv', 'MIDZY', 'discord:6'), (error: unknown) => error instanceof IdolensError && error.code === 'group_not_found');
    });

    test('a server\'s groups, samples, models and settings move to a new id, and the old id is left empty', async () => {
      const { store } = await openStore();
      await store.createGroup('telegram:-100', 'BLACKPINK');
      await store.addSamples('telegram:-100', 'BLACKPINK', 'Jennie', [newSample(), newSample({ contentHash: 'b'.repeat(64) })]);
      await store.putModel('telegram:-100', 'BLACKPINK', { groupRevision: 1, payload: { trained: true } });
      await store.updateServerSettings('telegram:-100', { defaultGroup: 'BLACKPINK', outputSize: 'small' });
      assert.deepEqual(await store.moveServer('telegram:-100', 'telegram:-1009'), ['BLACKPINK']);
      assert.deepEqual(await store.listGroups('telegram:-100'), []);
      assert.deepEqual(await store.serverSettings('telegram:-100'), {});
      assert.equal((await store.getSamples('telegram:-1009', 'BLACKPINK', 'Jennie')).length, 2);
      assert.deepEqual((await store.getModel('telegram:-1009', 'BLACKPINK'))?.payload, { trained: true });
      assert.deepEqual(await store.serverSettings('telegram:-1009'), { defaultGroup: 'BLACKPINK', outputSize: 'small' });
      assert.deepEqual(await store.moveServer('telegram:-100', 'telegram:-1009'), [], 'nothing left to move');
      await store.createGroup('telegram:-7', 'ITZY');
      await rejectsWithCode(store.moveServer('telegram:-7', 'telegram:-1009'), 'group_exists');
      assert.equal((await store.listGroups('telegram:-7')).length, 1, 'a refused move changes nothing');
    });

    test('refuses duplicate, missing and invalid group names with their codes', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'IVE');
      await store.createGroup('srv', 'aespa');
      await rejectsWithCode(store.createGroup('srv', 'ive'), 'group_exists');
      await rejectsWithCode(store.renameGroup('srv', 'IVE', 'AESPA'), 'group_exists');
      await rejectsWithCode(store.requireGroup('srv', 'NewJeans'), 'group_not_found');
      await rejectsWithCode(store.deleteGroup('srv', 'NewJeans'), 'group_not_found');
      await rejectsWithCode(store.renameGroup('srv', 'NewJeans', 'NJ'), 'group_not_found');
      await rejectsWithCode(store.addSamples('srv', 'NewJeans', 'Hanni', [newSample()]), 'group_not_found');
      await rejectsWithCode(store.createGroup('srv', '   '), 'invalid_name');
      await rejectsWithCode(store.createGroup('srv', 'a/b'), 'invalid_name');
      await rejectsWithCode(store.createGroup('srv', 'x'.repeat(41)), 'invalid_name');
      await rejectsWithCode(store.addSamples('srv', 'IVE', '<script>', [newSample()]), 'invalid_name');
      await rejectsWithCode(store.listGroups('bad server id'), 'invalid_name');
      assert.deepEqual((await store.listGroups('srv')).map((group) => group.name), ['IVE', 'aespa']);
    });

    test('round-trips embeddings, thumbnails, boxes and provenance exactly', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'BLACKPINK');
      const inputs = [newSample(), newSample({ flagged: true, flagReason: 'looks like Lisa' })];

      const group = await store.addSamples('srv', 'BLACKPINK', 'Jennie', inputs);
      const samples = await store.getSamples('srv', 'blackpink', 'JENNIE');

      assert.equal(group.revision, 1);
      assert.deepEqual(group.members.map((member) => [member.key, member.name, member.sampleIds.length]), [['jennie', 'Jennie', 2]]);
      assert.equal(samples.length, 2);
      samples.forEach((sample, index) => {
        const input = inputs[index];
        assert.ok(input);
        assert.ok(sample.embedding instanceof Float32Array);
        assert.deepEqual(sample.embedding, input.embedding);
        assert.ok(Buffer.isBuffer(sample.thumbnailJpeg));
        assert.ok(sample.thumbnailJpeg.equals(input.thumbnailJpeg));
        assert.deepEqual({ ...sample, embedding: null, thumbnailJpeg: null }, { ...input, embedding: null, thumbnailJpeg: null, id: group.members[0]?.sampleIds[index], memberKey: 'jennie' });
      });
    });

    test('adding to an existing member appends in order; an empty list changes nothing', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'TWICE');
      await store.addSamples('srv', 'TWICE', 'Nayeon', [newSample(), newSample()]);
      await store.addSamples('srv', 'TWICE', 'Momo', [newSample()]);
      const before = await store.addSamples('srv', 'TWICE', 'NAYEON', [newSample()]);

      const unchanged = await store.addSamples('srv', 'TWICE', 'Sana', []);

      assert.deepEqual(unchanged, before);
      assert.equal(before.revision, 3);
      assert.deepEqual(before.members.map((member) => [member.name, member.sampleIds.length]), [['Nayeon', 3], ['Momo', 1]]);
      const all = await store.getSamples('srv', 'TWICE');
      const nayeon = await store.getSamples('srv', 'TWICE', 'nayeon');
      assert.deepEqual(all.map((sample) => sample.memberKey), ['nayeon', 'nayeon', 'nayeon', 'momo']);
      assert.deepEqual(sourcesOf(nayeon), sourcesOf(all).slice(0, 3));
      await rejectsWithCode(store.getSamples('srv', 'TWICE', 'Jihyo'), 'member_not_found');
    });

    test('two servers with a same-named group never see each other\'s groups, samples or models', async () => {
      const { store } = await openStore();
      await store.createGroup('guild:1', 'IVE');
      await store.createGroup('guild:2', 'ive');
      await store.addSamples('guild:1', 'IVE', 'Wonyoung', [newSample()]);
      await store.putModel('guild:1', 'IVE', { groupRevision: 1, payload: { owner: 'guild:1' } });

      const other = await store.requireGroup('guild:2', 'IVE');

      assert.deepEqual(other.members, []);
      assert.deepEqual(await store.getSamples('guild:2', 'IVE'), []);
      assert.equal(await store.getModel('guild:2', 'IVE'), undefined);
      assert.deepEqual(await store.listGroups('guild:3'), []);
      await store.deleteGroup('guild:2', 'IVE');
      assert.equal((await store.getSamples('guild:1', 'IVE')).length, 1);
      assert.deepEqual(await store.getModel('guild:1', 'IVE'), { groupRevision: 1, payload: { owner: 'guild:1' } });
    });

    test('forgets a sample by its 1-based number, and the member with its last sample', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'aespa');
      await store.addSamples('srv', 'aespa', 'Karina', [newSample(), newSample(), newSample()]);
      await store.addSamples('srv', 'aespa', 'Winter', [newSample()]);
      const [first, second, third] = sourcesOf(await store.getSamples('srv', 'aespa', 'Karina'));

      const afterForget = await store.forgetSample('srv', 'aespa', 'karina', 2);

      assert.equal(afterForget.revision, 3);
      assert.deepEqual(sourcesOf(await store.getSamples('srv', 'aespa', 'Karina')), [first, third]);
      assert.ok(second);
      await rejectsWithCode(store.forgetSample('srv', 'aespa', 'Karina', 0), 'sample_not_found');
      await rejectsWithCode(store.forgetSample('srv', 'aespa', 'Karina', 3), 'sample_not_found');
      await rejectsWithCode(store.forgetSample('srv', 'aespa', 'Karina', 1.5), 'sample_not_found');
      await rejectsWithCode(store.forgetSample('srv', 'aespa', 'Giselle', 1), 'member_not_found');

      const withoutWinter = await store.forgetSample('srv', 'aespa', 'Winter', 1);
      assert.deepEqual(withoutWinter.members.map((member) => member.name), ['Karina']);
      await rejectsWithCode(store.getSamples('srv', 'aespa', 'Winter'), 'member_not_found');
    });

    test('forgets a whole member and refuses an unknown one', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'NewJeans');
      await store.addSamples('srv', 'NewJeans', 'Hanni', [newSample(), newSample()]);
      await store.addSamples('srv', 'NewJeans', 'Minji', [newSample()]);

      const updated = await store.forgetMember('srv', 'NewJeans', 'HANNI');

      assert.equal(updated.revision, 3);
      assert.deepEqual(updated.members.map((member) => member.name), ['Minji']);
      assert.deepEqual((await store.getSamples('srv', 'NewJeans')).map((sample) => sample.memberKey), ['minji']);
      await rejectsWithCode(store.forgetMember('srv', 'NewJeans', 'Hanni'), 'member_not_found');
    });

    test('flags and unflags a sample, bumping the revision only on a real change', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'ITZY');
      await store.addSamples('srv', 'ITZY', 'Yeji', [newSample(), newSample()]);

      const flagged = await store.setFlag('srv', 'ITZY', 'yeji', 2, true, 'probably Ryujin');
      const again = await store.setFlag('srv', 'ITZY', 'yeji', 2, true, 'probably Ryujin');
      const [, second] = await store.getSamples('srv', 'ITZY', 'Yeji');
      assert.equal(flagged.revision, 2);
      assert.equal(again.revision, 2);
      assert.equal(second?.flagged, true);
      assert.equal(second?.flagReason, 'probably Ryujin');

      const cleared = await store.setFlag('srv', 'ITZY', 'yeji', 2, false);
      const [, unflagged] = await store.getSamples('srv', 'ITZY', 'Yeji');
      assert.equal(cleared.revision, 3);
      assert.equal(unflagged?.flagged, false);
      assert.equal(unflagged && 'flagReason' in unflagged, false);
      await rejectsWithCode(store.setFlag('srv', 'ITZY', 'Yeji', 9, true), 'sample_not_found');
    });

    test('finds an exactly duplicated file by its content hash', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'LE SSERAFIM');
      await store.addSamples('srv', 'LE SSERAFIM', 'Chaewon', [newSample()]);
      const target = newSample();
      await store.addSamples('srv', 'LE SSERAFIM', '사쿠라', [newSample(), target]);

      const found = await store.findSampleByHash('srv', 'le sserafim', target.contentHash);

      assert.equal(found?.member.name, '사쿠라');
      assert.equal(found?.sampleNumber, 2);
      assert.equal(found?.sample.provenance.source, target.provenance.source);
      assert.equal(await store.findSampleByHash('srv', 'LE SSERAFIM', 'f'.repeat(64)), undefined);
    });

    test('stores models per group, survives a rename and disappears with the group', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'Red Velvet');
      assert.equal(await store.getModel('srv', 'Red Velvet'), undefined);
      const group = await store.addSamples('srv', 'Red Velvet', 'Irene', [newSample()]);
      await store.putModel('srv', 'Red Velvet', { groupRevision: group.revision, payload: { centroids: [[0.5, 0.25]] } });

      const renamed = await store.renameGroup('srv', 'Red Velvet', 'RV');

      assert.deepEqual(await store.getModel<{ centroids: number[][] }>('srv', 'RV'), { groupRevision: 1, payload: { centroids: [[0.5, 0.25]] } });
      assert.equal((await store.getSamples('srv', 'RV', 'Irene')).length, 1);
      assert.equal(renamed.revision, group.revision);
      await store.addSamples('srv', 'RV', 'Irene', [newSample()]);
      assert.notEqual((await store.getModel('srv', 'RV'))?.groupRevision, (await store.requireGroup('srv', 'RV')).revision);

      await store.deleteGroup('srv', 'RV');
      const recreated = await store.createGroup('srv', 'RV');
      assert.deepEqual(recreated.members, []);
      assert.equal(await store.getModel('srv', 'RV'), undefined);
      assert.deepEqual(await store.getSamples('srv', 'RV'), []);
    });

    test('updates and resets settings without changing the revision', async () => {
      const { store } = await openStore();
      await store.createGroup('srv', 'STAYC');
      await store.addSamples('srv', 'STAYC', 'Sieun', [newSample()]);

      const strict = await store.updateSettings('srv', 'STAYC', { unknownThreshold: 0.8 });
      assert.deepEqual(strict.settings, { unknownThreshold: 0.8 });
      assert.deepEqual((await store.requireGroup('srv', 'STAYC')).settings, { unknownThreshold: 0.8 });
      assert.equal(strict.revision, 1);

      const reset = await store.updateSettings('srv', 'STAYC', { unknownThreshold: null });
      assert.deepEqual(reset.settings, {});
      await assert.rejects(store.updateSettings('srv', 'STAYC', { unknownThreshold: 1.5 }), RangeError);
    });

    test('an enroll whose group write fails leaves the group exactly as it was', async () => {
      const { store, faults } = await openStore();
      await store.createGroup('srv', 'BLACKPINK');
      await store.addSamples('srv', 'BLACKPINK', 'Rosé', [newSample()]);
      const before = await store.requireGroup('srv', 'BLACKPINK');
      const samplesBefore = await store.getSamples('srv', 'BLACKPINK');

      faults.failNext('set', 'group:');
      await assert.rejects(store.addSamples('srv', 'BLACKPINK', 'Lisa', [newSample(), newSample()]), /injected set failure/);

      assert.deepEqual(await store.requireGroup('srv', 'BLACKPINK'), before);
      assert.deepEqual(await store.getSamples('srv', 'BLACKPINK'), samplesBefore);
      const retried = await store.addSamples('srv', 'BLACKPINK', 'Lisa', [newSample()]);
      assert.equal(retried.revision, before.revision + 1);
    });

    test('an enroll whose sample write fails leaves the group exactly as it was', async () => {
      const { store, faults } = await openStore();
      await store.createGroup('srv', 'aespa');
      await store.addSamples('srv', 'aespa', 'Ningning', [newSample()]);
      const before = await store.requireGroup('srv', 'aespa');

      faults.failNext('set', 'sample:');
      await assert.rejects(store.addSamples('srv', 'aespa', 'Ningning', [newSample(), newSample(), newSample()]), /injected set failure/);

      assert.deepEqual(await store.requireGroup('srv', 'aespa'), before);
      assert.equal((await store.getSamples('srv', 'aespa')).length, 1);
    });

    test('a removal whose group write fails leaves the group exactly as it was', async () => {
      const { store, faults } = await openStore();
      await store.createGroup('srv', 'TWICE');
      await store.addSamples('srv', 'TWICE', 'Jihyo', [newSample(), newSample()]);
      const before = await store.requireGroup('srv', 'TWICE');
      const samplesBefore = await store.getSamples('srv', 'TWICE');

      faults.failNext('set', 'group:');
      await assert.rejects(store.forgetSample('srv', 'TWICE', 'Jihyo', 1), /injected set failure/);

      assert.deepEqual(await store.requireGroup('srv', 'TWICE'), before);
      assert.deepEqual(await store.getSamples('srv', 'TWICE'), samplesBefore);
    });

    test('a failed clean-up after the commit is reported but the removal stands', async () => {
      const { store, faults, cleanupErrors } = await openStore();
      await store.createGroup('srv', 'ITZY');
      await store.addSamples('srv', 'ITZY', 'Lia', [newSample()]);
      await store.addSamples('srv', 'ITZY', 'Chaeryeong', [newSample()]);

      faults.failNext('delete', 'sample:');
      const updated = await store.forgetMember('srv', 'ITZY', 'Lia');

      assert.equal(cleanupErrors.length, 1);
      assert.deepEqual(updated.members.map((member) => member.name), ['Chaeryeong']);
      assert.deepEqual(await store.requireGroup('srv', 'ITZY'), updated);
      assert.equal((await store.getSamples('srv', 'ITZY')).length, 1);
    });

    test('a group re-created after an interrupted delete does not inherit the old model', async () => {
      const { store, faults, cleanupErrors } = await openStore();
      await store.createGroup('srv', 'EXO');
      await store.addSamples('srv', 'EXO', 'Kai', [newSample()]);
      await store.putModel('srv', 'EXO', { groupRevision: 1, payload: 'old' });

      faults.failNext('delete', 'model:');
      await store.deleteGroup('srv', 'EXO');
      const recreated = await store.createGroup('srv', 'EXO');

      assert.equal(cleanupErrors.length, 1);
      assert.deepEqual(recreated.members, []);
      assert.equal(await store.getModel('srv', 'EXO'), undefined);
    });

    test('a sample that could not be read back is refused before anything is written', async () => {
      const { store } = await openStore();
      const before = await store.createGroup('srv', 'IVE');
      await assert.rejects(store.addSamples('srv', 'IVE', 'Yujin', [newSample({ detectionScore: Number.NaN })]), (error: unknown) => error instanceof IdolensError && error.code === 'internal');
      assert.deepEqual(await store.requireGroup('srv', 'IVE'), before);
    });

    test('ten concurrent enrolls into one group all land, one revision each', async () => {
      const { store } = await openStore();
      const before = await store.createGroup('srv', 'SEVENTEEN');
      const members = ['S.Coups', 'Jeonghan', 'Joshua', 'Jun', 'Hoshi', 'Wonwoo', 'Woozi', 'DK', 'Mingyu', 'The8'];

      await Promise.all(members.map(async (member, index) => store.addSamples('srv', 'SEVENTEEN', index % 2 === 0 ? member : 'Vernon', [newSample()])));

      const after = await store.requireGroup('srv', 'SEVENTEEN');
      assert.equal(after.revision, before.revision + 10);
      assert.equal((await store.getSamples('srv', 'SEVENTEEN')).length, 10);
      assert.equal(after.members.find((member) => member.key === 'vernon')?.sampleIds.length, 5);
    });

    test('a damaged record fails loudly instead of reading as empty', async () => {
      const { store, keyv } = await openStore();
      await store.createGroup('srv', 'EXO');
      await keyv.set('group:srv:exo', { schema: 99, garbage: true });
      await rejectsWithCode(store.listGroups('srv'), 'internal');
    });
  });
}

describe('names', () => {
  test('tidies display names and keys them case- and width-insensitively', () => {
    assert.equal(displayName('  Kim \t  Ji-soo '), 'Kim Ji-soo');
    assert.equal(displayName('D.O.'), 'D.O.');
    assert.equal(displayName('new\nline'), 'new line');
    assert.equal(displayName('Ha Sung\u2019woon'), "Ha Sung'woon");
    assert.equal(nameKey('JENNIE'), 'jennie');
    assert.equal(nameKey('ＪＥＮＮＩＥ'), 'jennie');
    assert.equal(nameKey('제니'.normalize('NFD')), '제니');
    assert.equal(displayName('x'.repeat(40)), 'x'.repeat(40));
  });

  test('refuses empty, overlong, punctuation-only and symbol names', () => {
    for (const bad of ['', '   ', 'x'.repeat(41), '...', 'a/b', 'rosé 🌹', 'semi;colon', 'tab\u0000null']) {
      assert.throws(() => displayName(bad), (error: unknown) => error instanceof IdolensError && error.code === 'invalid_name', bad);
    }
  });

  test('accepts platform server ids and refuses others', () => {
    assert.equal(assertServerId('discord:123456789012345678'), 'discord:123456789012345678');
    for (const bad of ['', 'has space', 'a/b', 'x'.repeat(65)]) {
      assert.throws(() => assertServerId(bad), (error: unknown) => error instanceof IdolensError && error.code === 'invalid_name', bad);
    }
  });
});

describe('openKeyv', () => {
  test('creates the data directory and an idolens.sqlite file by default', async () => {
    const dataDir = path.join(tempRoot, 'nested', 'data');
    const keyv = await openKeyv({ dataDir });
    const store = new GroupStore(keyv);
    await store.createGroup('srv', 'MAMAMOO');
    await closeKeyv(keyv);
    await closeKeyv(keyv);
    assert.ok(existsSync(path.join(dataDir, 'idolens.sqlite')));
  });

  test('uses the file of a sqlite:// URL and an in-memory store for memory:', async () => {
    const file = path.join(tempRoot, 'by-url', 'custom.sqlite');
    const fileKeyv = await openKeyv({ url: `sqlite://${file}`, dataDir: path.join(tempRoot, 'unused') });
    await new GroupStore(fileKeyv).createGroup('srv', 'Apink');
    await closeKeyv(fileKeyv);
    assert.ok(existsSync(file));
    assert.equal(existsSync(path.join(tempRoot, 'unused')), false);

    const memoryKeyv = await openKeyv({ url: 'memory:', dataDir: path.join(tempRoot, 'unused') });
    const memoryStore = new GroupStore(memoryKeyv);
    await memoryStore.createGroup('srv', 'Apink');
    assert.equal((await memoryStore.listGroups('srv')).length, 1);
    await closeKeyv(memoryKeyv);
  });

  test('explains which storage URLs are supported', async () => {
    await assert.rejects(openKeyv({ url: 'postgres://user:secret@host:5432/idolens', dataDir: tempRoot }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /postgres:/);
      assert.match(error.message, /sqlite:\/\/.*memory:/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });
});

