import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { fetchMedia, fetchMediaToFile, FileBlobStore, mediaRefSchema, RedisBlobStore } from '../../core/media-ref/index.ts';
import type { BlobStore, FetchRules } from '../../core/media-ref/index.ts';
import { facePhoto } from '../helpers/faces-dir.ts';
import { refusal } from '../helpers/refusal.ts';

const photoPath = facePhoto('blackpink_celebfr', 'jennie', '1772892_NNML.jpg');
const clipPath = facePhoto('videos', 'liveportrait', 'driving_d18.mp4');
const photo = readFileSync(photoPath);
const clip = readFileSync(clipPath);
/** Every byte value, and sequences that are not valid UTF-8: a store that goes through text would mangle them. */
const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, value) => value)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00])]);
const MALICIOUS_KEYS = ['../../etc/passwd', '../secret', '', 'A'.repeat(32), `${'0'.repeat(31)}*`, `${'0'.repeat(32)}/..`];

const prefix = `idolens-test-media-ref-${process.pid}-${randomBytes(4).toString('hex')}`;
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
let scratch = '';
let fileStore: FileBlobStore;
let redisStore: RedisBlobStore;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'idolens-media-ref-blobs-'));
  fileStore = new FileBlobStore(path.join(scratch, 'blobs'));
  redisStore = new RedisBlobStore(redis, prefix);
});

after(async () => {
  for await (const keys of redis.scanStream({ match: `${prefix}:*` }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.del(...keys);
  }
  await redisStore.close();
  await redis.quit();
  await rm(scratch, { recursive: true, force: true });
});

function stores(): [string, BlobStore][] {
  return [['FileBlobStore', fileStore], ['RedisBlobStore', redisStore]];
}

function rules(blobs: BlobStore, overrides: Partial<FetchRules> = {}): FetchRules {
  return { kind: 'image', maxBytes: 5 * 1024 * 1024, timeoutMs: 5000, platformHosts: [], allowPrivateNetwork: false, blobs, platformFiles: {}, ...overrides };
}

test('blobs round-trip byte for byte in both stores, and are gone once deleted', async () => {
  for (const [label, store] of stores()) {
    const key = await store.put(binary);
    assert.match(key, /^[0-9a-f]{32}$/, label);
    assert.deepEqual(Buffer.from((await store.get(key)) ?? []), binary, label);
    const target = path.join(scratch, `${label}-clip.mp4`);
    const clipKey = await store.putFile(clipPath);
    assert.equal(await store.writeToFile(clipKey, target), true, label);
    assert.deepEqual(await readFile(target), clip, label);
    await store.delete(key);
    assert.equal(await store.get(key), undefined, label);
    assert.equal(await store.writeToFile(key, path.join(scratch, 'never')), false, label);
    assert.equal(existsSync(path.join(scratch, 'never')), false, label);
    await store.delete(clipKey);
  }
});

test('the Redis store keeps blobs under its prefix with the TTL as a Redis expiry', async () => {
  const key = await redisStore.put(photo, { ttlSeconds: 60 });
  const ttl = await redis.pttl(`${prefix}:blob:${key}`);
  assert.ok(ttl > 55_000 && ttl <= 60_000, `pttl ${ttl}`);
  await redisStore.delete(key);
  assert.equal(await redis.exists(`${prefix}:blob:${key}`), 0);
});

test('an expired blob is absent in both stores, and fetching it says the upload expired', async () => {
  const keys = await Promise.all(stores().map(async ([, store]) => [store, await store.put(photo, { ttlSeconds: 1 })] as const));
  for (const [store, key] of keys) assert.ok((await store.get(key)) !== undefined, 'present before it expires');
  await sleep(1100);
  for (const [store, key] of keys) {
    assert.equal(await store.get(key), undefined);
    assert.equal(await store.writeToFile(key, path.join(scratch, 'expired.jpg')), false);
    const refused = await refusal(fetchMedia({ kind: 'blob', key, name: 'photo.jpg' }, rules(store)));
    assert.equal(refused.code, 'not_found');
    assert.equal(refused.message, 'This upload has expired; send it again.');
  }
});

test('sweep deletes expired blobs and stale temporary files, and keeps the rest', async () => {
  const folder = path.join(scratch, 'sweep');
  const store = new FileBlobStore(folder);
  const expired = await store.put(photo, { ttlSeconds: 1 });
  const live = await store.put(photo, { ttlSeconds: 3600 });
  const forever = await store.put(photo);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'crashed.abc.part'), 'x');
  await writeFile(path.join(folder, 'writing.def.part'), 'x');
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(path.join(folder, 'crashed.abc.part'), twoHoursAgo, twoHoursAgo);
  await sleep(1100);
  assert.equal(await store.sweep(), 1);
  const left = (await readdir(folder)).sort();
  assert.deepEqual(left, [`${forever}.bin`, `${live}.bin`, `${live}.expires`, 'writing.def.part'].sort());
  assert.ok(!left.some((name) => name.startsWith(expired)));
});

test('a key that is not one of ours is refused by every operation, so it can never reach a path or another Redis key', async () => {
  const secret = path.join(scratch, 'secret.bin');
  await writeFile(secret, photo);
  for (const [label, store] of stores()) {
    for (const key of MALICIOUS_KEYS) {
      const operations = [() => store.get(key), () => store.writeToFile(key, path.join(scratch, 'out')), () => store.delete(key)];
      for (const operation of operations) {
        const refused = await refusal(operation());
        assert.equal(refused.code, 'not_found', `${label} ${key}`);
        assert.equal(refused.details.reason, 'invalid_key', `${label} ${key}`);
      }
      assert.equal((await refusal(fetchMedia({ kind: 'blob', key, name: 'x.jpg' }, rules(store)))).details.reason, 'invalid_key');
    }
  }
  assert.deepEqual(await readFile(secret), photo, 'the file outside the store is untouched');
  assert.ok(!mediaRefSchema.safeParse({ kind: 'blob', key: '../../etc/passwd', name: 'x.jpg' }).success);
});

test('blob refs are fetched with the same rules as downloads: kind, size cap, and streaming to a file', async () => {
  for (const [label, store] of stores()) {
    const photoKey = await store.put(photo, { ttlSeconds: 60 });
    assert.deepEqual(Buffer.from(await fetchMedia({ kind: 'blob', key: photoKey, name: 'photo.jpg' }, rules(store))), photo, label);
    const asVideo = await refusal(fetchMedia({ kind: 'blob', key: photoKey, name: 'photo.jpg' }, rules(store, { kind: 'video' })));
    assert.equal(asVideo.code, 'unsupported_video', label);
    assert.equal((await refusal(fetchMedia({ kind: 'blob', key: photoKey, name: 'p.jpg' }, rules(store, { maxBytes: 1000 })))).code, 'too_large', label);
    const pageKey = await store.put(Buffer.from('<html><body>not a photo</body></html>'), { ttlSeconds: 60 });
    assert.equal((await refusal(fetchMedia({ kind: 'blob', key: pageKey, name: 'p.jpg' }, rules(store)))).code, 'unsupported_format', label);

    const clipKey = await store.putFile(clipPath, { ttlSeconds: 60 });
    const folder = await mkdtemp(path.join(scratch, 'to-file-'));
    const ref = { kind: 'blob', key: clipKey, name: 'clip.mp4' } as const;
    assert.equal(await fetchMediaToFile(ref, path.join(folder, 'input.mp4'), rules(store, { kind: 'video' })), clip.length, label);
    assert.deepEqual(await readFile(path.join(folder, 'input.mp4')), clip, label);
    const tooBig = await refusal(fetchMediaToFile(ref, path.join(folder, 'big.mp4'), rules(store, { kind: 'video', maxBytes: 1000 })));
    assert.equal(tooBig.code, 'video_too_large', label);
    assert.deepEqual(await readdir(folder), ['input.mp4'], label);
    for (const key of [photoKey, pageKey, clipKey]) await store.delete(key);
  }
});

test('a media reference from job data is checked before use', () => {
  assert.ok(mediaRefSchema.safeParse({ kind: 'url', url: 'https://cdn.discordapp.com/a/b/photo.jpg?ex=1', name: 'photo.jpg', trust: 'platform' }).success);
  assert.ok(mediaRefSchema.safeParse({ kind: 'blob', key: '0123456789abcdef0123456789abcdef', name: 'clip.mp4' }).success);
  assert.ok(mediaRefSchema.safeParse({ kind: 'url', url: 'https://example.org/a.jpg?sig=1', name: 'https://example.org/a.jpg', trust: 'admin' }).success);
  const bad = [
    { kind: 'url', url: 'file:///etc/passwd', name: 'x', trust: 'admin' },
    { kind: 'url', url: 'https://cdn.discordapp.com/x.jpg', name: 'x', trust: 'root' },
    { kind: 'url', url: 'https://cdn.discordapp.com/x.jpg', name: 'https://cdn.discordapp.com/x.jpg?token=1', trust: 'platform' },
    { kind: 'url', url: 'https://api.telegram.org/file/bot1:AA/x.jpg', name: 'https://api.telegram.org/file/bot1:AA/x.jpg', trust: 'platform' },
    { kind: 'blob', key: '0123456789abcdef0123456789abcdef', name: 'line\nbreak.jpg' },
    { kind: 'blob', key: '0123456789abcdef0123456789abcdef', name: 'clip.mp4', bytes: 'AAAA' },
  ];
  for (const value of bad) assert.ok(!mediaRefSchema.safeParse(value).success, JSON.stringify(value));
});
