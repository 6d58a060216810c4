/**
 * `idolens annotate` as a user runs it: the JSON contract, the files it writes, and its exit codes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { z } from 'zod';
import { assertExit, jsonLines, runCli } from '../helpers/cli.ts';
import { blackpinkPhoto, type BlackpinkMember } from '../helpers/fixtures.ts';
import { makeTempDir } from '../helpers/runtime.ts';
import { sharedClip } from '../helpers/video.ts';

const SERVER = 'cli-clip';
const GROUP = 'BLACKPINK';
const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');

let tempDir: string;
let dataDir: string;

const idolens = (...args: string[]) => runCli(dataDir, SERVER, ...args);

before(async () => {
  tempDir = await makeTempDir('cli-clip');
  dataDir = path.join(tempDir, 'data');
  const root = path.join(tempDir, 'members');
  const members: BlackpinkMember[] = ['jennie', 'jisoo'];
  for (const member of members) {
    await mkdir(path.join(root, member), { recursive: true });
    for (const index of [0, 1, 2, 3, 4]) await symlink(blackpinkPhoto(member, index), path.join(root, member, `${index}${path.extname(blackpinkPhoto(member, index))}`));
  }
  assertExit(await idolens('group', 'create', GROUP), 0);
  assertExit(await idolens('import', GROUP, root), 0);
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

const annotateJson = z.object({
  output: z.string(),
  durationSeconds: z.number().positive(),
  frames: z.number().int().positive(),
  screenTime: z.record(z.string(), z.number().nonnegative()),
  tracks: z.array(z.object({ name: z.string().nullable(), from: z.number().nonnegative(), to: z.number().nonnegative() })),
  summary: z.string().min(1),
  bytes: z.number().int().positive(),
  audio: z.enum(['copied', 'reencoded', 'none']),
  srt: z.string().optional(),
  chart: z.string().optional(),
});
const errorLine = z.strictObject({ file: z.string(), error: z.strictObject({ code: z.string(), message: z.string() }) });

test('annotate --json prints one object with the contract\'s fields and writes the clip, the SRT and the chart', async () => {
  const output = path.join(tempDir, 'new-folder', 'ad.labelled.mp4');
  const srt = path.join(tempDir, 'ad.srt');
  const chart = path.join(tempDir, 'ad.png');
  const run = await idolens('annotate', GROUP, AD, '-o', output, '--srt', srt, '--chart', chart, '--max-bytes', '2MiB', '--json');
  assertExit(run, 0);
  const [result, ...rest] = jsonLines(run, annotateJson);
  assert.ok(result);
  assert.equal(rest.length, 0, 'exactly one JSON object');
  assert.equal(result.output, output);
  assert.equal(result.frames, 228);
  assert.ok(Math.abs(result.durationSeconds - 7.6) < 0.1);
  assert.ok(result.bytes <= 2 * 1024 * 1024 && existsSync(output));
  for (const [name, seconds] of Object.entries(result.screenTime)) {
    assert.ok(['jennie', 'jisoo'].includes(name), `only enrolled members have screen time (${name})`);
    assert.ok(seconds > 0);
  }
  assert.ok(result.tracks.length >= 3);
  assert.match(readFileSync(srt, 'utf8'), /^(1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n|$)/);
  const meta = await sharp(chart).metadata();
  assert.equal(meta.format, 'png');
  assert.ok((meta.width ?? 0) >= 800);
});

test('a bad clip gets its own error line and exit code 1; a missing -o is a usage error', async () => {
  const notes = path.join(tempDir, 'notes.txt');
  const bad = await idolens('annotate', GROUP, notes, '-o', path.join(tempDir, 'x.mp4'), '--json');
  assertExit(bad, 1);
  const [line] = jsonLines(bad, errorLine);
  assert.equal(line?.error.code, 'not_found');
  assertExit(await idolens('annotate', GROUP, AD), 2);
  assertExit(await idolens('annotate', GROUP, AD, '-o', AD), 2);
  assertExit(await idolens('annotate', GROUP, AD, '-o', path.join(tempDir, 'y.mp4'), '--max-bytes', 'lots'), 2);
});
