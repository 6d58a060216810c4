import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import KeyvSqlite from '@keyv/sqlite';
import sharp from 'sharp';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos, type EnrollSummary } from '../../core/dataset/enroll.ts';
import type { EnrollOutcome } from '../../core/dataset/enroll-outcome.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { closeKeyv, GroupStore, keyvOver, type GroupRecord, type SampleRecord } from '../../core/store/index.ts';
import {
  blackpinkPhoto, gradientJpeg, nearCopyJpeg, PORTRAIT, pngDeclaring, SEVERAL_FACES_PHOTO, tinyFaceJpeg, truncatedCopy,
  twoFrameGif, writeFixture,
} from '../helpers/fixtures.ts';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime.ts';

const SERVER = 'bad-input-test';
const GROUP = 'BLACKPINK';
const MEMBER = 'jennie';

let runtime: TestRuntime;
let context: CoreContext;
/** Two of Jennie's photos, enrolled once before the cases so that "unchanged" compares against a non-empty group. */
const seedPhotos = [blackpinkPhoto(MEMBER, 0), blackpinkPhoto(MEMBER, 1)];

before(async () => {
  runtime = await openTestRuntime('enroll-bad');
  context = runtime.context;
  await context.store.createGroup(SERVER, GROUP);
  const seeded = await enroll(context, seedPhotos);
  assert.equal(seeded.counts.accepted, 2, 'the seed photos must be accepted');
});

after(async () => {
  await runtime.close();
});

async function enroll(into: CoreContext, inputs: string[]): Promise<EnrollSummary> {
  return enrollPhotos(into, { server: SERVER, group: GROUP, member: MEMBER, inputs, layout: 'flat', addedBy: 'test' });
}

interface GroupState {
  group: GroupRecord;
  samples: SampleRecord[];
}

async function groupState(store: GroupStore): Promise<GroupState> {
  return { group: await store.requireGroup(SERVER, GROUP), samples: await store.getSamples(SERVER, GROUP) };
}

function outcomeFor(summary: EnrollSummary, source: string): EnrollOutcome {
  const outcome = summary.outcomes.find((entry) => entry.source === source);
  assert.ok(outcome, `no outcome for ${source}: ${JSON.stringify(summary.outcomes)}`);
  return outcome;
}

interface BadInputCase {
  behaviour: string;
  file: string;
  bytes: () => Promise<Uint8Array | string>;
  status: EnrollOutcome['status'];
  code: ErrorCode;
}

const badInputs: BadInputCase[] = [
  { behaviour: 'a zero-byte file is refused as empty', file: 'empty.jpg', bytes: async () => Buffer.alloc(0), status: 'rejected', code: 'empty_file' },
  { behaviour: 'a text file named .jpg is refused as not a photo', file: 'notes.jpg', bytes: async () => 'These are my notes, not a photo.\n'.repeat(20), status: 'rejected', code: 'unsupported_format' },
  { behaviour: 'a JPEG cut at half its length is refused as damaged', file: 'truncated.jpg', bytes: async () => truncatedCopy(PORTRAIT, 0.5), status: 'rejected', code: 'corrupt_image' },
  { behaviour: 'a PNG declaring 20000x20000 pixels is refused before decoding', file: 'bomb.png', bytes: async () => pngDeclaring(20_000, 20_000), status: 'rejected', code: 'too_many_pixels' },
  { behaviour: 'a picture without a face is refused', file: 'gradient.jpg', bytes: async () => gradientJpeg(400), status: 'rejected', code: 'no_face' },
  { behaviour: 'a photo of several people is refused as ambiguous', file: 'several.jpg', bytes: async () => readFile(SEVERAL_FACES_PHOTO), status: 'rejected', code: 'several_faces' },
  { behaviour: 'a photo whose face is found but only about 23 px wide is refused as too small', file: 'tiny-face.jpg', bytes: async () => tinyFaceJpeg(PORTRAIT, 44, 240), status: 'rejected', code: 'face_too_small' },
  { behaviour: 'an already enrolled file is a duplicate', file: 'again.jpg', bytes: async () => readFile(blackpinkPhoto(MEMBER, 0)), status: 'duplicate', code: 'duplicate' },
  { behaviour: 'a smaller, recompressed copy of an enrolled photo is a duplicate', file: 'near-copy.jpg', bytes: async () => nearCopyJpeg(blackpinkPhoto(MEMBER, 0), 0.7, 55), status: 'duplicate', code: 'duplicate' },
];

describe('each bad input is refused with its code and leaves the group unchanged', () => {
  for (const entry of badInputs) {
    test(entry.behaviour, async () => {
      const file = await writeFixture(runtime.tempDir, entry.file, await entry.bytes());
      const before = await groupState(context.store);

      const summary = await enroll(context, [file]);

      const outcome = outcomeFor(summary, file);
      assert.equal(outcome.status, entry.status, JSON.stringify(outcome));
      assert.equal(outcome.reason?.code, entry.code, JSON.stringify(outcome));
      assert.ok((outcome.reason?.message ?? '').length > 0, 'a refusal explains itself');
      assert.equal(summary.counts.accepted, 0);
      assert.deepEqual(await groupState(context.store), before);
      assert.deepEqual(summary.group, before.group);
    });
  }
});

test('the same new file given twice in one request is accepted once, then a duplicate', async () => {
  const photo = blackpinkPhoto(MEMBER, 2);
  const before = await groupState(context.store);

  const summary = await enroll(context, [photo, photo]);

  assert.deepEqual(summary.outcomes.map((outcome) => outcome.status), ['accepted', 'duplicate']);
  assert.equal(summary.outcomes[1]?.reason?.code, 'duplicate');
  const after = await groupState(context.store);
  assert.equal(after.group.revision, before.group.revision + 1);
  assert.equal(after.samples.length, before.samples.length + 1);
});

test('an animated GIF is enrolled from its first frame', async () => {
  const gif = await twoFrameGif(PORTRAIT, 400, 'portrait-first');
  assert.equal((await sharp(gif).metadata()).pages, 2, 'the fixture must really be animated');
  const file = await writeFixture(runtime.tempDir, 'portrait-then-blank.gif', gif);
  const before = await groupState(context.store);

  const summary = await enroll(context, [file]);

  const outcome = outcomeFor(summary, file);
  assert.equal(outcome.status, 'accepted', JSON.stringify(outcome));
  const after = await groupState(context.store);
  assert.equal(after.samples.length, before.samples.length + 1);
  assert.equal(after.samples.at(-1)?.provenance.source, file);
});

test('an animated GIF whose first frame is blank has no face, whatever comes later', async () => {
  const file = await writeFixture(runtime.tempDir, 'blank-then-portrait.gif', await twoFrameGif(PORTRAIT, 400, 'blank-first'));
  const before = await groupState(context.store);

  const summary = await enroll(context, [file]);

  assert.equal(outcomeFor(summary, file).reason?.code, 'no_face');
  assert.deepEqual(await groupState(context.store), before);
});

/** The real SQLite adapter, except that the next write of a group record throws once. */
class GroupWriteFailsOnce extends KeyvSqlite {
  armed = false;
  override async set(key: string, value: unknown): Promise<unknown> {
    if (this.armed && key.includes('group:')) {
      this.armed = false;
      throw new Error(`injected failure writing ${key}`);
    }
    return super.set(key, value);
  }
}

test('a store failure while committing rejects the enroll and leaves the group exactly as before', async () => {
  const adapter = new GroupWriteFailsOnce({ uri: `sqlite://${path.join(runtime.tempDir, 'faulty.sqlite')}`, busyTimeout: 5000 });
  const keyv = keyvOver(adapter);
  try {
    const store = new GroupStore(keyv);
    const faulty: CoreContext = { ...context, store };
    await store.createGroup(SERVER, GROUP);
    const [first, second] = [blackpinkPhoto(MEMBER, 0), blackpinkPhoto(MEMBER, 1)];
    assert.equal((await enroll(faulty, [first])).counts.accepted, 1);
    const before = await groupState(store);

    adapter.armed = true;
    await assert.rejects(enroll(faulty, [second]), /injected failure writing/);

    assert.deepEqual(await groupState(store), before);
    const retried = await enroll(faulty, [second]);
    assert.equal(retried.counts.accepted, 1, 'the same photo goes in once the store works again');
    assert.equal(retried.group.revision, before.group.revision + 1);
  } finally {
    await closeKeyv(keyv);
  }
});
