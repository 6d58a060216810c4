/**
 * Enrolling a member from an image search, against local fakes of the providers serving real photos: the
 * consensus keeps the right person out of a noisy result set, existing samples anchor it, and nothing is added
 * before the admin accepts.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../core/config.ts';
import { acceptPending, discardPending } from '../../core/search/review.ts';
import { searchForMember, type SearchOutcome } from '../../core/search/search-enroll.ts';
import type { SearchSettings } from '../../core/search/types.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { facePhoto } from '../helpers/faces-dir.ts';
import { blackpinkPhoto, GROUP_PHOTO, strangerPhotos, truncatedCopy } from '../helpers/fixtures.ts';
import { ImageSearchFake, type FakeImage } from '../helpers/image-search-fake.ts';
import { refusal } from '../helpers/refusal.ts';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime.ts';

const SERVER = 'search-test';
const jennieFiles = readdirSync(facePhoto('blackpink_celebfr', 'jennie')).filter((name) => /\.jpe?g$/i.test(name)).sort().slice(0, 13);

let runtime: TestRuntime;
let fake: ImageSearchFake;
let mixed: FakeImage[];
const truth = new Map<string, 'jennie' | 'other' | 'junk'>();

async function image(file: string, kind: 'jennie' | 'other', name = file.split('/').pop() ?? 'x.jpg'): Promise<FakeImage> {
  truth.set(name, kind);
  return { name, bytes: await readFile(file), contentType: 'image/jpeg', licence: 'CC BY 4.0', author: 'A. Photographer' };
}

function settings(overrides: Partial<SearchSettings> = {}): SearchSettings {
  const base = loadConfig({ COMMONS_API_URL: fake.commonsUrl, BRAVE_SEARCH_API_URL: fake.braveUrl, BRAVE_SEARCH_API_KEY: 'brave-key', GOOGLE_SEARCH_API_URL: fake.googleUrl, GOOGLE_SEARCH_API_KEY: 'google-key', GOOGLE_SEARCH_ENGINE_ID: 'engine-id', IDOLENS_SEARCH_HOST_INTERVAL_MS: '0' }).search;
  return { ...base, ...overrides };
}

before(async () => {
  runtime = await openTestRuntime('search');
  const jennie = await Promise.all(jennieFiles.slice(0, 12).map((name) => image(facePhoto('blackpink_celebfr', 'jennie', name), 'jennie')));
  const others = await Promise.all([
    blackpinkPhoto('lisa', 0), blackpinkPhoto('lisa', 1), blackpinkPhoto('rose', 0), blackpinkPhoto('jisoo', 0),
    facePhoto('le_sserafim_lens', 'Kazuha', readdirSync(facePhoto('le_sserafim_lens', 'Kazuha')).sort()[0] ?? ''),
    facePhoto('le_sserafim_lens', 'Sakura', readdirSync(facePhoto('le_sserafim_lens', 'Sakura')).sort()[0] ?? ''),
    ...strangerPhotos().slice(0, 2),
  ].map((file) => image(file, 'other')));
  const gifName = 'jennie-animated.gif';
  truth.set(gifName, 'jennie');
  const gif = { name: gifName, bytes: await sharp(facePhoto('blackpink_celebfr', 'jennie', jennieFiles[12] ?? '')).gif().toBuffer(), contentType: 'image/gif' };
  truth.set('group.jpg', 'other');
  truth.set('broken.jpg', 'junk');
  truth.set('page.jpg', 'junk');
  const junk: FakeImage[] = [
    { name: 'group.jpg', bytes: await readFile(GROUP_PHOTO.file), contentType: 'image/jpeg' },
    { name: 'broken.jpg', bytes: await truncatedCopy(facePhoto('blackpink_celebfr', 'jennie', jennieFiles[0] ?? ''), 0.3), contentType: 'image/jpeg' },
    { name: 'page.jpg', bytes: Buffer.from('<!DOCTYPE html><html><body>Jennie photos</body></html>'), contentType: 'image/jpeg' },
  ];
  // Interleaved the way search results come: the member, bandmates, strangers and junk mixed.
  mixed = [];
  for (let index = 0; index < 12; index += 1) {
    const next = [jennie[index], others[index], index === 3 ? gif : undefined, junk[index - 5]].filter((entry): entry is FakeImage => entry !== undefined);
    mixed.push(...next);
  }
  fake = await ImageSearchFake.start(mixed);
  await runtime.context.store.createGroup(SERVER, 'BLACKPINK');
});

after(async () => {
  await fake?.close();
  await runtime?.close();
});

/** The fakes run on loopback, which only tests may download from. */
function loopbackAllowed() {
  return { ...runtime.context, allowPrivateNetwork: true };
}

function nameOf(outcome: SearchOutcome): string {
  return decodeURIComponent(outcome.source.split('/').pop() ?? '');
}

describe('enrolling a member from an image search', () => {
  test('the consensus keeps the member out of a mixed result set, and every drop has its reason', async () => {
    const result = await searchForMember(loopbackAllowed(), settings(), { server: SERVER, group: 'BLACKPINK', member: 'Jennie', query: 'Jennie BLACKPINK', count: 30, addedBy: 'test' });
    assert.equal(result.outcomes.length, mixed.length);
    const kept = result.outcomes.filter((outcome) => outcome.status === 'pending');
    const right = kept.filter((outcome) => truth.get(nameOf(outcome)) === 'jennie');
    const ofTwelve = right.filter((outcome) => !nameOf(outcome).endsWith('.gif'));
    const precision = right.length / kept.length;
    console.log(`# consensus: kept ${kept.length}, right ${right.length} (precision ${(precision * 100).toFixed(1)}%), recall ${ofTwelve.length}/12`);
    for (const outcome of result.outcomes) console.log(`#   ${String(outcome.rank).padStart(2)} ${truth.get(nameOf(outcome))?.padEnd(6)} ${outcome.status.padEnd(9)} ${outcome.distance ?? ''} ${outcome.reason?.message ?? ''} ${nameOf(outcome)}`);
    assert.ok(precision >= 0.9, `precision ${precision}`);
    assert.ok(ofTwelve.length >= 8, `kept ${ofTwelve.length} of her 12`);
    for (const outcome of result.outcomes.filter((entry) => entry.status !== 'pending')) assert.ok((outcome.reason?.message ?? '').length > 0, `rank ${outcome.rank} has a reason`);
    assert.match(result.outcomes.find((outcome) => nameOf(outcome) === 'page.jpg')?.reason?.message ?? '', /not a photo/);
    assert.match(result.outcomes.find((outcome) => nameOf(outcome) === 'broken.jpg')?.reason?.message ?? '', /damaged or incomplete/);
    assert.match(result.outcomes.find((outcome) => nameOf(outcome) === 'group.jpg')?.reason?.message ?? '', /Group photo/);
    assert.equal(kept[0]?.licence, 'CC BY 4.0');
    const group = await runtime.context.store.requireGroup(SERVER, 'BLACKPINK');
    assert.equal(group.members.length, 0, 'nothing is enrolled before the review');

    const pending = result.pending;
    assert.ok(pending);
    const accepted = await acceptPending(runtime.context, SERVER, pending.id, [2]);
    assert.equal(accepted.accepted, kept.length - 1);
    const samples = await runtime.context.store.getSamples(SERVER, 'BLACKPINK', 'Jennie');
    assert.equal(samples.length, kept.length - 1);
    assert.equal(samples[0]?.provenance.licence, 'CC BY 4.0');
    assert.match(samples[0]?.provenance.page ?? '', /\/wiki\/File:/);
    assert.equal((await refusal(acceptPending(runtime.context, SERVER, pending.id))).code, 'pending_not_found', 'a set is decided once');
  });

  test('a member who already has samples anchors the consensus even when most results show someone else', async () => {
    const server = 'search-anchor';
    await runtime.context.store.createGroup(server, 'BLACKPINK');
    const lisa = [0, 1, 2, 3].map((index) => blackpinkPhoto('lisa', index));
    await enrollPhotos(runtime.context, { server, group: 'BLACKPINK', member: 'Lisa', inputs: lisa.slice(0, 3), layout: 'flat', addedBy: 'test' });
    const mostlyJennie = [...mixed.filter((entry) => truth.get(entry.name) === 'jennie').slice(0, 8), await image(blackpinkPhoto('lisa', 4), 'other', 'lisa-4.jpg'), await image(blackpinkPhoto('lisa', 5), 'other', 'lisa-5.jpg'), await image(blackpinkPhoto('lisa', 6), 'other', 'lisa-6.jpg')];
    fake.images = mostlyJennie;
    try {
      const result = await searchForMember(loopbackAllowed(), settings(), { server, group: 'BLACKPINK', member: 'Lisa', query: 'Lisa', count: 20, addedBy: 'test' });
      const kept = result.outcomes.filter((outcome) => outcome.status === 'pending').map(nameOf);
      for (const outcome of result.outcomes) console.log(`# anchored ${nameOf(outcome)} ${outcome.status} ${outcome.distance ?? ''} ${outcome.reason?.message ?? ''}`);
      assert.ok(kept.length >= 1, 'Lisa\'s photos are found');
      assert.ok(kept.every((name) => name.startsWith('lisa-')), `only Lisa kept: ${kept.join(', ')}`);
      const discarded = await discardPending(runtime.context, server, result.pending?.id ?? '');
      assert.equal(discarded.member, 'Lisa');
      assert.equal((await runtime.context.store.getSamples(server, 'BLACKPINK', 'Lisa')).length, 3, 'a discarded set adds nothing');
    } finally {
      fake.images = mixed;
    }
  });

  test('Brave and Google results go through the same cleaning; missing keys are refused clearly', async () => {
    for (const provider of ['brave', 'google'] as const) {
      const result = await searchForMember(loopbackAllowed(), settings(), { server: SERVER, group: 'BLACKPINK', member: 'Jisoo', query: 'Jennie', count: 12, provider, addedBy: 'test' });
      assert.equal(result.provider, provider);
      assert.equal(result.outcomes.length, 12);
      assert.ok(result.outcomes.some((outcome) => outcome.status !== 'pending'));
      assert.match(result.outcomes[0]?.page ?? '', /\/page\/0$/);
      if (result.pending) await discardPending(runtime.context, SERVER, result.pending.id);
    }
    const unkeyed = settings({ brave: { apiUrl: fake.braveUrl, apiKey: undefined } });
    const refused = await refusal(searchForMember(loopbackAllowed(), unkeyed, { server: SERVER, group: 'BLACKPINK', member: 'Jisoo', query: 'x', count: 5, provider: 'brave', addedBy: 'test' }));
    assert.equal(refused.code, 'search_unavailable');
    assert.match(refused.message, /BRAVE_SEARCH_API_KEY/);
  });

  test('provider failures give clear messages: rate limits with their wait, errors, unreadable answers, no results', async () => {
    const ask = (provider: 'commons' | 'brave' | 'google' = 'commons') => refusal(searchForMember(loopbackAllowed(), settings(), { server: SERVER, group: 'BLACKPINK', member: 'Jisoo', query: 'Jisoo', count: 5, provider, addedBy: 'test' }));
    fake.failNext('commons', { status: 429, headers: { 'retry-after': '30' } });
    const limited = await ask();
    assert.equal(limited.code, 'search_rate_limited');
    assert.match(limited.message, /try again in 30 seconds/);
    fake.failNext('brave', { status: 500 });
    assert.match((await ask('brave')).message, /failed \(HTTP 500\)/);
    fake.failNext('google', { status: 200, body: '{"items": [ {"link": ' });
    const malformed = await ask('google');
    assert.equal(malformed.code, 'search_failed');
    assert.match(malformed.message, /not JSON/);
    fake.images = [];
    try {
      assert.equal((await ask()).code, 'search_empty');
    } finally {
      fake.images = mixed;
    }
  });

  test('a candidate on a loopback or private address is refused when private addresses are not allowed', async () => {
    const result = await searchForMember({ ...runtime.context, allowPrivateNetwork: false }, settings(), { server: SERVER, group: 'BLACKPINK', member: 'Jisoo', query: 'Jisoo', count: 4, addedBy: 'test' });
    assert.ok(result.outcomes.length === 4 && result.outcomes.every((outcome) => outcome.reason?.code === 'url_not_allowed'), JSON.stringify(result.outcomes));
    assert.equal(result.pending, undefined);
  });
});
