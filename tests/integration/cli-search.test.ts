/**
 * `idolens enroll GROUP MEMBER --search` from the command line against a local Commons fake serving real photos:
 * JSON lines with source and licence, --yes adds the kept photos, otherwise the set waits for `pending`.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { spawn } from 'node:child_process';
import { assertExit, CLI, jsonLines, runCliWithEnvironment } from '../helpers/cli.ts';
import { facePhoto, repoRoot } from '../helpers/faces-dir.ts';
import { blackpinkPhoto, strangerPhotos } from '../helpers/fixtures.ts';
import { ImageSearchFake, type FakeImage } from '../helpers/image-search-fake.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const line = z.object({
  file: z.string(), member: z.string(), status: z.enum(['accepted', 'pending', 'rejected', 'duplicate', 'left out']), source: z.string(), licence: z.string().nullable(),
  number: z.number().optional(), reason: z.string().optional(), code: z.string().optional(),
});

let fake: ImageSearchFake;
let dataDir: string;

function cli(...args: string[]) {
  const env = testEnvironment({ COMMONS_API_URL: fake.commonsUrl, IDOLENS_ALLOW_PRIVATE_URLS: '1', IDOLENS_SEARCH_HOST_INTERVAL_MS: '0', IDOLENS_LOG_LEVEL: 'warn' });
  return runCliWithEnvironment(env, ['--data', dataDir, '--server', 'cli-search', ...args]);
}

before(async () => {
  dataDir = await makeTempDir('cli-search');
  const jennie = readdirSync(facePhoto('blackpink_celebfr', 'jennie')).filter((name) => /\.jpe?g$/i.test(name)).sort().slice(0, 6).map((name) => facePhoto('blackpink_celebfr', 'jennie', name));
  const files = [...jennie, blackpinkPhoto('lisa', 0), strangerPhotos()[0] ?? ''];
  const images: FakeImage[] = await Promise.all(files.map(async (file, index) => ({ name: `${index}-${path.basename(file)}`, bytes: await readFile(file), contentType: 'image/jpeg', licence: 'CC BY-SA 4.0' })));
  fake = await ImageSearchFake.start(images);
});

after(async () => {
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('--search --yes --json prints one line per result with its source and licence, and adds the kept photos', async () => {
  assertExit(await cli('group', 'create', 'BLACKPINK'), 0);
  const run = await cli('enroll', 'BLACKPINK', 'Jennie', '--search', 'Jennie BLACKPINK', '-n', '8', '--yes', '--json');
  assertExit(run, 0);
  const lines = jsonLines(run, line);
  assert.equal(lines.length, 8);
  const accepted = lines.filter((entry) => entry.status === 'accepted');
  assert.ok(accepted.length >= 4, run.stdout);
  assert.ok(accepted.every((entry) => entry.licence === 'CC BY-SA 4.0' && /\/wiki\/File:\d+$/.test(entry.source) && entry.number !== undefined));
  assert.ok(lines.some((entry) => entry.status === 'rejected' && (entry.reason ?? '').length > 0));
  const members = await cli('members', 'BLACKPINK', '--json');
  assert.match(members.stdout, new RegExp(`"samples":${accepted.length}`));
});

test('without --yes (and no terminal) the set waits; pending accept adds all but the numbers left out', async () => {
  assertExit(await cli('group', 'create', 'Solo'), 0);
  const run = await cli('enroll', 'Solo', 'Jennie', '--search', 'Jennie', '-n', '8', '--json');
  assertExit(run, 0);
  const pending = jsonLines(run, line).filter((entry) => entry.status === 'pending');
  assert.ok(pending.length >= 2, run.stdout);
  const id = /Pending set ([0-9a-f]{8})/.exec(run.stderr)?.[1];
  assert.ok(id, run.stderr);
  assert.ok((await stat(path.join(dataDir, 'pending', `${id}.jpg`))).size > 0, 'the review sheet is written');
  const accepted = await cli('pending', 'accept', id, '--except', '1', '--json');
  assertExit(accepted, 0);
  assert.deepEqual(JSON.parse(accepted.stdout), { id, group: 'Solo', member: 'Jennie', accepted: pending.length - 1, leftOut: [1] });
  const again = await cli('pending', 'accept', id);
  assertExit(again, 1);
  assert.match(again.stderr, /no pending set of photos with that id/);
});

test('at a terminal the CLI asks, and numbers typed there are left out', async () => {
  assertExit(await cli('group', 'create', 'Asked'), 0);
  const env = testEnvironment({ COMMONS_API_URL: fake.commonsUrl, IDOLENS_ALLOW_PRIVATE_URLS: '1', IDOLENS_SEARCH_HOST_INTERVAL_MS: '0', IDOLENS_LOG_LEVEL: 'warn' });
  const command = [process.execPath, CLI, '--data', dataDir, '--server', 'cli-search', 'enroll', 'Asked', 'Jennie', '--search', 'Jennie', '-n', '8'].map((word) => `'${word}'`).join(' ');
  // script(1) gives the CLI a terminal; the answer is typed once the question is on it.
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repoRoot, env });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (/numbers to leave out/.test(chunk)) child.stdin.write('1\n');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, output);
  assert.match(output, /Add \d+ photos? to Jennie\? \[Y\]es/);
  assert.match(output, /left out\s+#1 /);
  const added = Number(/Jennie: (\d+) photos? added to Asked/.exec(output)?.[1] ?? -1);
  const asked = Number(/Add (\d+) photos? to Jennie/.exec(output)?.[1] ?? 0);
  assert.equal(added, asked - 1);
});

test('usage mistakes are refused with exit 2', async () => {
  const both = await cli('enroll', 'BLACKPINK', 'Jennie', 'photo.jpg', '--search', 'x');
  assertExit(both, 2);
  assert.match(both.stderr, /photos or --search, not both/);
  const provider = await cli('enroll', 'BLACKPINK', 'Jennie', '--search', 'x', '--provider', 'bing');
  assertExit(provider, 2);
  assert.match(provider.stderr, /commons, brave, google/);
  const nothing = await cli('enroll', 'BLACKPINK', 'Jennie');
  assertExit(nothing, 2);
});
