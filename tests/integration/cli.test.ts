/**
 * The CLI as a user runs it: real processes sharing one temp data directory, so every step also proves that
 * what one process wrote the next one reads. The tests run in order and build on each other.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { z } from 'zod';
import { blackpinkPhoto, type BlackpinkMember, writeFixture } from '../helpers/fixtures.ts';
import { assertExit, jsonLines, runCli, type CliRun } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/runtime.ts';

const GROUP = 'BLACKPINK';

let tempDir: string;
let dataDir: string;

before(async () => {
  tempDir = await makeTempDir('cli');
  dataDir = path.join(tempDir, 'data');
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

function idolens(server: string, ...args: string[]): Promise<CliRun> {
  return runCli(dataDir, server, ...args);
}

function photos(member: BlackpinkMember, indexes: readonly number[]): string[] {
  return indexes.map((index) => blackpinkPhoto(member, index));
}

const errorJson = z.strictObject({ code: z.string().min(1), message: z.string().min(1) });
const enrollLine = z.strictObject({
  file: z.string(),
  member: z.string().nullable(),
  status: z.enum(['accepted', 'rejected', 'duplicate']),
  reason: z.string().optional(),
  code: z.string().optional(),
  flagged: z.boolean().optional(),
  flagReason: z.string().optional(),
});
const box = z.strictObject({ x: z.number().int().nonnegative(), y: z.number().int().nonnegative(), width: z.number().int().positive(), height: z.number().int().positive() });
const identifiedFace = z.strictObject({
  box,
  name: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  candidates: z.array(z.strictObject({ name: z.string(), score: z.number().min(0).max(1) })),
});
const identifyLine = z.union([
  z.strictObject({
    file: z.string(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    faces: z.array(identifiedFace),
    summary: z.string(),
    output: z.string().optional(),
  }),
  z.strictObject({ file: z.string(), error: errorJson }),
]);
const groupLine = z.strictObject({ group: z.string(), members: z.number().int(), samples: z.number().int(), trained: z.boolean() });
const memberLine = z.strictObject({ member: z.string(), samples: z.number().int(), flagged: z.number().int(), needPhotosAgain: z.number().int(), accuracy: z.number().nullable(), trained: z.boolean() });
const trainJson = z.strictObject({
  group: z.string(),
  method: z.string(),
  accuracy: z.number().min(0).max(1).nullable(),
  members: z.array(z.strictObject({
    name: z.string(), samples: z.number().int(), accuracy: z.number().min(0).max(1).nullable(), correct: z.number().int(), wrong: z.number().int(), unknown: z.number().int(),
  })),
  confusedPairs: z.array(z.strictObject({ a: z.string(), b: z.string(), mistakes: z.number().int(), similarity: z.number(), hint: z.string() })),
  needPhotosAgain: z.array(z.strictObject({ member: z.string(), samples: z.number().int() })),
});

test('group create succeeds on two servers with the same group name', async () => {
  const first = await idolens('a', 'group', 'create', GROUP);
  assertExit(first, 0);
  assert.match(first.stdout, /BLACKPINK/);

  const second = await idolens('b', 'group', 'create', GROUP, '--json');
  assertExit(second, 0);
  assert.deepEqual(jsonLines(second, z.object({ group: z.string(), created: z.boolean() })), [{ group: GROUP, created: true }]);
});

test('usage mistakes exit 2 and print nothing on stdout', async () => {
  const [unknownCommand, missingArgument] = await Promise.all([
    idolens('a', 'frobnicate', GROUP),
    idolens('a', 'enroll', GROUP),
  ]);
  for (const run of [unknownCommand, missingArgument]) {
    assertExit(run, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /error:/);
  }
});

test('enroll --json prints one line per input and exits 1 when an input is rejected, 0 when all are accepted', async () => {
  const notAPhoto = await writeFixture(tempDir, 'notes.jpg', 'not a photo\n');
  const jennie = photos('jennie', [0, 1, 2]);
  const lisa = photos('lisa', [0, 1]);
  // Different servers, so the two processes never write the same group.
  const [withBadFile, allGood] = await Promise.all([
    idolens('a', 'enroll', GROUP, 'jennie', ...jennie, notAPhoto, '--json'),
    idolens('b', 'enroll', GROUP, 'lisa', ...lisa, '--json'),
  ]);

  assertExit(withBadFile, 1);
  const lines = jsonLines(withBadFile, enrollLine);
  assert.deepEqual(lines.map((line) => line.file).sort(), [...jennie, notAPhoto].sort());
  for (const line of lines) {
    const expected = line.file === notAPhoto ? { status: 'rejected', code: 'unsupported_format' } : { status: 'accepted', code: undefined };
    assert.deepEqual({ status: line.status, code: line.code }, expected, JSON.stringify(line));
  }

  assertExit(allGood, 0);
  assert.deepEqual(jsonLines(allGood, enrollLine).map((line) => [line.file, line.status]), lisa.map((file) => [file, 'accepted']));
});

test('import enrolls a folder laid out one sub-folder per member', async () => {
  const root = path.join(tempDir, 'import');
  for (const member of ['jisoo', 'rose'] as const) {
    await mkdir(path.join(root, member), { recursive: true });
    for (const [index, photo] of photos(member, [0, 1, 2]).entries()) await symlink(photo, path.join(root, member, `${index + 1}${path.extname(photo)}`));
  }

  const run = await idolens('a', 'import', GROUP, root, '--json');

  assertExit(run, 0);
  const lines = jsonLines(run, enrollLine);
  assert.equal(lines.length, 6);
  assert.deepEqual(lines.map((line) => `${line.member}:${line.status}`).sort(), ['jisoo', 'jisoo', 'jisoo', 'rose', 'rose', 'rose'].map((member) => `${member}:accepted`));
});

test('train --json reports each member with an accuracy and the confused pairs', async () => {
  const run = await idolens('a', 'train', GROUP, '--json');

  assertExit(run, 0);
  const [report, ...rest] = jsonLines(run, trainJson);
  assert.ok(report);
  assert.equal(rest.length, 0);
  assert.deepEqual(report.members.map((member) => [member.name, member.samples]).sort(), [['jennie', 3], ['jisoo', 3], ['rose', 3]]);
  for (const member of report.members) assert.notEqual(member.accuracy, null, `${member.name} has photos to cross-validate`);
});

test('identify --json in a new process names faces, reports a missing file as an error line and exits 1', async () => {
  const jisoo = blackpinkPhoto('jisoo', 4);
  const rose = blackpinkPhoto('rose', 4);
  const missing = path.join(tempDir, 'no-such-photo.jpg');
  const outputDir = path.join(tempDir, 'labelled');

  const run = await idolens('a', 'identify', GROUP, jisoo, missing, rose, '-o', outputDir, '--json');

  assertExit(run, 1);
  const lines = jsonLines(run, identifyLine);
  assert.deepEqual(lines.map((line) => line.file), [jisoo, missing, rose]);
  const failed = lines[1];
  assert.ok(failed && 'error' in failed);
  assert.equal(failed.error.code, 'not_found');
  for (const [index, member] of (['jisoo', 'rose'] as const).entries()) {
    const line = lines[index * 2];
    assert.ok(line && 'faces' in line, JSON.stringify(line));
    assert.ok(line.faces.length >= 1, `${line.file}: ${line.summary}`);
    for (const face of line.faces) {
      assert.ok(face.box.x + face.box.width <= line.width && face.box.y + face.box.height <= line.height, JSON.stringify(face.box));
    }
    assert.ok(line.faces.some((face) => face.name === member), `${line.file} should show ${member}: ${line.summary}`);
    assert.ok(line.output, 'with -o the labelled picture is written');
    assert.equal((await sharp(line.output).metadata()).format, 'jpeg');
  }
});

test('an engine command writes no log line by default; --verbose shows what the engine chose, an absent optional package worded as such', async () => {
  const photo = blackpinkPhoto('jisoo', 4);
  const quiet = await idolens('a', 'identify', GROUP, photo, '--json');
  assertExit(quiet, 0);
  assert.equal(quiet.stderr.trim(), '', `stderr should be empty, got: ${quiet.stderr.slice(0, 300)}`);
  const verbose = await idolens('a', '--verbose', 'identify', GROUP, photo, '--json');
  assertExit(verbose, 0);
  const logs = verbose.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string; fallbacks?: string[] });
  const ready = logs.find((line) => line.msg === 'face engine ready');
  assert.ok(ready, `--verbose should log the engine's choice: ${verbose.stderr.slice(0, 300)}`);
  assert.doesNotMatch(verbose.stderr, /Cannot find module/);
  for (const note of ready.fallbacks ?? []) assert.match(note, /^optional \S+ is (not installed|installed but does not load here)/);
});

test('no command writes over its input, and an existing output is replaced only with --force', async () => {
  const photo = path.join(tempDir, 'own-photo.jpg');
  await copyFile(blackpinkPhoto('jisoo', 4), photo);
  const before = await readFile(photo);
  const overInput = await idolens('a', 'identify', GROUP, photo, '-o', photo);
  assertExit(overInput, 2);
  assert.match(overInput.stderr, /one of this command's inputs/);
  assert.deepEqual(await readFile(photo), before, 'the photo is byte-identical afterwards');
  const viaLink = path.join(tempDir, 'link-to-photo.jpg');
  await symlink(photo, viaLink);
  assertExit(await idolens('a', 'identify', GROUP, photo, '-o', viaLink, '--force'), 2);
  assert.deepEqual(await readFile(photo), before, 'not even --force writes through a link to the input');

  const existing = path.join(tempDir, 'existing.jpg');
  await writeFile(existing, 'mine');
  const refused = await idolens('a', 'identify', GROUP, photo, '-o', existing);
  assertExit(refused, 2);
  assert.match(refused.stderr, /already exists: add --force/);
  assert.equal(await readFile(existing, 'utf8'), 'mine');
  assertExit(await idolens('a', 'identify', GROUP, photo, '-o', existing, '--force'), 0);
  assert.equal((await sharp(existing).metadata()).format, 'jpeg');
  const sheet = await idolens('a', 'sheet', GROUP, 'jisoo', '-o', existing);
  assertExit(sheet, 2);
});

test('two servers with a group of the same name never see each other\'s members or photos', async () => {
  const [listA, listB, membersB] = await Promise.all([
    idolens('a', 'group', 'list', '--json'),
    idolens('b', 'group', 'list', '--json'),
    idolens('b', 'members', GROUP, '--json'),
  ]);
  for (const run of [listA, listB, membersB]) assertExit(run, 0);

  assert.deepEqual(jsonLines(listA, groupLine), [{ group: GROUP, members: 3, samples: 9, trained: true }]);
  assert.deepEqual(jsonLines(listB, groupLine), [{ group: GROUP, members: 1, samples: 2, trained: false }]);
  assert.deepEqual(jsonLines(membersB, memberLine).map((line) => [line.member, line.samples]), [['lisa', 2]]);
});

test('sheet -o writes a JPEG contact sheet of the member\'s photos', async () => {
  const sheet = path.join(tempDir, 'sheets', 'jennie.jpg');

  const run = await idolens('a', 'sheet', GROUP, 'jennie', '-o', sheet);

  assertExit(run, 0);
  const written = await sharp(sheet).metadata();
  assert.equal(written.format, 'jpeg');
  assert.ok(written.width > 0 && written.height > 0);
});

test('forget --sample 1 removes one photo of the member and nothing else', async () => {
  const forget = await idolens('a', 'forget', GROUP, 'jennie', '--sample', '1', '--json');
  assertExit(forget, 0);

  const members = await idolens('a', 'members', GROUP, '--json');

  assertExit(members, 0);
  const lines = jsonLines(members, memberLine);
  assert.deepEqual(lines.map((line) => [line.member, line.samples]), [['jennie', 2], ['jisoo', 3], ['rose', 3]], 'and server b\'s lisa is not here');
  assert.ok(lines.every((line) => !line.trained), 'the model no longer matches the photos');
});

test('settings changes the unknown threshold, refuses values outside 0..1 and resets to the default', async () => {
  const settingsLine = z.strictObject({ group: z.string(), unknownThreshold: z.number(), default: z.boolean() });

  const [changed, refused] = [await idolens('a', 'settings', GROUP, '--unknown-threshold', '0.7', '--json'), await idolens('a', 'settings', GROUP, '--unknown-threshold', '7', '--json')];
  const reset = await idolens('a', 'settings', GROUP, '--reset', '--json');

  assertExit(changed, 0);
  assert.deepEqual(jsonLines(changed, settingsLine), [{ group: GROUP, unknownThreshold: 0.7, default: false }]);
  assertExit(refused, 2);
  assert.equal(jsonLines(refused, z.strictObject({ error: errorJson }))[0]?.error.code, 'invalid_setting');
  assertExit(reset, 0);
  assert.deepEqual(jsonLines(reset, settingsLine), [{ group: GROUP, unknownThreshold: 0.5, default: true }]);
});

// These two change server a's group (a new member, a flagged photo): they come last.
test('a member name close to an existing one is refused with the suggestion and creates nothing; --new creates it; a group typo names the closest group', async () => {
  const photo = blackpinkPhoto('jisoo', 5);
  const before = jsonLines(await idolens('a', 'members', GROUP, '--json'), memberLine).map((line) => line.member);
  const typo = await idolens('a', 'enroll', GROUP, 'Jisu', photo, '--json');
  assertExit(typo, 1);
  assert.match(typo.stderr, /BLACKPINK has no member named "Jisu" yet\. Did you mean jisoo\? Add --new to create a new member named "Jisu"\./);
  assert.equal(jsonLines(typo, z.strictObject({ error: errorJson }))[0]?.error.code, 'member_typo');
  assert.deepEqual(jsonLines(await idolens('a', 'members', GROUP, '--json'), memberLine).map((line) => line.member), before, 'nothing created');
  const created = await idolens('a', 'enroll', GROUP, 'Jisu', photo, '--new', '--json');
  assertExit(created, 0);
  assert.ok(jsonLines(await idolens('a', 'members', GROUP, '--json'), memberLine).some((line) => line.member === 'Jisu'));
  assertExit(await idolens('a', 'forget', GROUP, 'Jisu', '--json'), 0);

  const groupTypo = await idolens('a', 'members', 'BLAKCPINK');
  assertExit(groupTypo, 1);
  assert.match(groupTypo.stderr, /There is no group named "BLAKCPINK" on this server\. Did you mean BLACKPINK\?/);
});

test('a photo flagged for review is listed by review, marked checked with review --ok, and no longer counts as to review', async () => {
  const reviewLine = z.strictObject({ group: z.string(), member: z.string(), checked: z.array(z.number().int()), toReview: z.array(z.strictObject({ number: z.number().int(), reason: z.string() })) });
  const enrolled = jsonLines(await idolens('a', 'enroll', GROUP, 'jisoo', blackpinkPhoto('rose', 6), '--json'), enrollLine);
  assert.equal(enrolled[0]?.flagged, true, `Rosé enrolled as Jisoo is flagged: ${JSON.stringify(enrolled)}`);
  const listed = jsonLines(await idolens('a', 'review', GROUP, 'jisoo', '--json'), reviewLine)[0];
  const flagged = listed?.toReview[0];
  assert.ok(flagged, JSON.stringify(listed));
  assert.match(flagged.reason, /rose/i);
  const cleared = await idolens('a', 'review', GROUP, 'jisoo', '--ok', String(flagged.number), '--json');
  assertExit(cleared, 0);
  assert.deepEqual(jsonLines(cleared, reviewLine)[0]?.checked, [flagged.number]);
  assert.ok(!jsonLines(cleared, reviewLine)[0]?.toReview.some((entry) => entry.number === flagged.number));
  const jisoo = jsonLines(await idolens('a', 'members', GROUP, '--json'), memberLine).find((line) => line.member === 'jisoo');
  assert.equal(jisoo?.flagged, 0, 'no longer to review');
  assertExit(await idolens('a', 'review', GROUP, 'jisoo', '--ok', 'x'), 2);
  assertExit(await idolens('a', 'forget', GROUP, 'jisoo', '--sample', String(flagged.number), '--json'), 0);
});
