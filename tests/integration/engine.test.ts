import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { mapConcurrent } from '../../core/concurrency.ts';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos, type EnrollSummary } from '../../core/dataset/enroll.ts';
import { identifyImage, type IdentifiedFace, type IdentifyResult } from '../../core/identify/identify.ts';
import { currentModel, trainGroup, type TrainedGroup } from '../../core/training/train-group.ts';
import type { Box } from '../../core/types.ts';
import { facePhoto } from '../helpers/faces-dir.ts';
import {
  BLACKPINK, enrollPhotosOf, GROUP_PHOTO, heldOutPhotosOf, LARGE_PHOTO, strangerPhotos, type BlackpinkMember,
} from '../helpers/fixtures.ts';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime.ts';

const SERVER = 'engine-test';
const GROUP = 'BLACKPINK';
/** A Jennie photo outside the enrolled and held-out ones, enrolled late to make the model stale. */
const LATE_PHOTO = facePhoto('blackpink_celebfr', 'jennie', 'Kim_Jennie_(김제니)_05.jpg');

let runtime: TestRuntime;
let context: CoreContext;
const enrolled = new Map<BlackpinkMember, EnrollSummary>();
let trained: TrainedGroup;

before(async () => {
  runtime = await openTestRuntime('engine');
  context = runtime.context;
  await context.store.createGroup(SERVER, GROUP);
  for (const member of BLACKPINK) {
    enrolled.set(member, await enrollPhotos(context, { server: SERVER, group: GROUP, member, inputs: enrollPhotosOf(member), layout: 'flat', addedBy: 'test' }));
  }
  trained = await trainGroup(context, SERVER, GROUP);
});

after(async () => {
  await runtime.close();
});

async function identifyFile(file: string, render = false): Promise<IdentifyResult> {
  return identifyImage(context, { server: SERVER, group: GROUP, bytes: await readFile(file), source: file, render });
}

async function identifyFiles(files: readonly string[]): Promise<IdentifyResult[]> {
  const engine = await context.faces();
  return mapConcurrent(files, engine.size, async (file) => identifyFile(file));
}

function largestFace(result: IdentifyResult): IdentifiedFace | undefined {
  return [...result.faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
}

function assertBoxInside(box: Box, width: number, height: number): void {
  const where = JSON.stringify({ box, width, height });
  assert.ok(box.width > 0 && box.height > 0, `empty box ${where}`);
  assert.ok(box.x >= 0 && box.y >= 0, `box starts outside ${where}`);
  assert.ok(box.x + box.width <= width && box.y + box.height <= height, `box ends outside ${where}`);
}

test('four members with four solo photos each are all enrolled and trained', () => {
  for (const member of BLACKPINK) {
    const summary = enrolled.get(member);
    assert.equal(summary?.counts.accepted, 4, `${member}: ${JSON.stringify(summary?.outcomes)}`);
  }
  assert.deepEqual(trained.model.payload.members.map((member) => member.name).sort(), [...BLACKPINK]);
  assert.equal(trained.retrained, true);
});

test('held-out solo photos of each member are mostly named right and almost never wrong', async (t) => {
  const cases = BLACKPINK.flatMap((member) => heldOutPhotosOf(member).map((file) => ({ member, file })));
  const results = await identifyFiles(cases.map((entry) => entry.file));

  let right = 0;
  let wrong = 0;
  const lines: string[] = [];
  cases.forEach(({ member, file }, index) => {
    const face = results[index] && largestFace(results[index]);
    const name = face?.name ?? null;
    if (name === member) right += 1;
    else if (name !== null) wrong += 1;
    lines.push(`${member} ${file.split('/').at(-1)} → ${face === undefined ? 'no face' : `${name ?? 'unknown'} (${face.confidence})`}`);
  });
  for (const line of lines) t.diagnostic(line);
  t.diagnostic(`held-out: ${right} right, ${wrong} wrong, ${cases.length - right - wrong} unknown of ${cases.length}`);

  // The benchmark's targets are 95% right and at most 1% wrong (5 photos per member); these floors sit well below.
  assert.ok(right >= Math.ceil(cases.length * 0.8), `only ${right} of ${cases.length} named right`);
  assert.equal(wrong, 0, `${wrong} named wrong`);
});

test('strangers are left unknown', async (t) => {
  const files = strangerPhotos();
  const results = await identifyFiles(files);

  const unknown = results.filter((result) => result.faces.length > 0 && result.faces.every((face) => face.name === null));
  for (const result of results) t.diagnostic(`${result.source.split('/').slice(-2).join('/')}: ${result.summary}`);
  t.diagnostic(`strangers: ${unknown.length} of ${files.length} unknown`);

  assert.equal(unknown.length, files.length, `only ${unknown.length} of ${files.length} strangers left unknown`);
});

test('in a group photo each member is named at most once and every box lies inside the picture', async (t) => {
  const result = await identifyFile(GROUP_PHOTO.file);
  t.diagnostic(result.summary);
  const { width, height } = await sharp(GROUP_PHOTO.file).metadata();

  assert.deepEqual({ width: result.width, height: result.height }, { width, height });
  assert.ok(result.faces.length >= 2, `expected several faces, got ${result.summary}`);
  for (const face of result.faces) assertBoxInside(face.box, width, height);
  const names = result.faces.flatMap((face) => (face.name === null ? [] : [face.name]));
  assert.equal(new Set(names).size, names.length, `a member was named twice: ${result.summary}`);
  assert.deepEqual([...names].sort(), [...GROUP_PHOTO.members].sort(), `both members are named: ${result.summary}`);
});

test('boxes in a photo larger than the analysis raster are in the original pixels', async (t) => {
  const original = await identifyFile(LARGE_PHOTO.file);
  const smallWidth = 1000;
  const smallBytes = await sharp(LARGE_PHOTO.file).resize({ width: smallWidth }).jpeg({ quality: 92 }).toBuffer();
  const small = await identifyImage(context, { server: SERVER, group: GROUP, bytes: smallBytes, source: 'small.jpg', render: false });

  assert.deepEqual({ width: original.width, height: original.height }, { width: LARGE_PHOTO.width, height: LARGE_PHOTO.height });
  const big = largestFace(original);
  const reference = largestFace(small);
  assert.ok(big && reference, `a face in both sizes: ${original.summary} / ${small.summary}`);
  assertBoxInside(big.box, LARGE_PHOTO.width, LARGE_PHOTO.height);
  const scale = LARGE_PHOTO.width / smallWidth;
  const tolerance = 0.03 * LARGE_PHOTO.width;
  t.diagnostic(`original box ${JSON.stringify(big.box)}, small box ×${scale.toFixed(3)} ${JSON.stringify(reference.box)}`);
  for (const side of ['x', 'y', 'width', 'height'] as const) {
    assert.ok(Math.abs(big.box[side] - reference.box[side] * scale) <= tolerance, `${side}: ${big.box[side]} vs ${reference.box[side] * scale}`);
  }
  assert.equal(big.name, LARGE_PHOTO.member);
});

test('identify draws a labelled JPEG of the original size and sums the faces up in words', async (t) => {
  const result = await identifyFile(GROUP_PHOTO.file, true);
  t.diagnostic(result.summary);

  assert.ok(result.labelled, 'render=true returns the labelled picture');
  const drawn = await sharp(result.labelled.jpeg).metadata();
  assert.equal(drawn.format, 'jpeg');
  assert.deepEqual({ width: drawn.width, height: drawn.height }, { width: result.width, height: result.height });
  assert.deepEqual({ width: result.labelled.width, height: result.labelled.height }, { width: result.width, height: result.height });
  const names = result.faces.flatMap((face) => (face.name === null ? [] : [face.name]));
  assert.ok(names.length >= 1);
  for (const name of names) assert.ok(result.summary.includes(name), `"${result.summary}" does not name ${name}`);
  assert.ok(result.summary.startsWith(`${result.faces.length} faces`), result.summary);
});

test('identify on a group changed since training retrains it first', async () => {
  const trainedRevision = (await context.store.requireGroup(SERVER, GROUP)).revision;
  assert.equal((await context.store.getModel(SERVER, GROUP))?.groupRevision, trainedRevision);

  const late = await enrollPhotos(context, { server: SERVER, group: GROUP, member: 'jennie', inputs: [LATE_PHOTO], layout: 'flat', addedBy: 'test' });
  assert.equal(late.counts.accepted, 1, JSON.stringify(late.outcomes));
  assert.ok(late.group.revision > trainedRevision);
  assert.equal((await context.store.getModel(SERVER, GROUP))?.groupRevision, trainedRevision, 'the stored model is stale now');

  const result = await identifyFile(LARGE_PHOTO.file);

  assert.equal(largestFace(result)?.name, 'jennie');
  assert.equal((await context.store.getModel(SERVER, GROUP))?.groupRevision, late.group.revision, 'identify stored a model for the new revision');
  const model = await currentModel(context, SERVER, GROUP);
  assert.equal(model.retrained, false, 'the retrained model is reused, not trained again');
  assert.equal(model.group.revision, late.group.revision);
  const jennie = model.report.members.find((member) => member.name === 'jennie');
  assert.equal(jennie?.samples, 5);
});
