/**
 * `idolens annotate` and `idolens cut` as a user runs them: the JSON contract, the files they write, and their exit codes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { z } from 'zod';
import { assertExit, jsonLines, runCli } from '../helpers/cli.ts';
import { blackpinkPhoto, type BlackpinkMember } from '../helpers/fixtures.ts';
import { exitWithin, startIdolens } from '../helpers/idolens-process.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';
import { decodedAudio, ffmpeg, sharedClip, streamFacts } from '../helpers/video.ts';

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
  tracks: z.array(z.object({
    name: z.string().nullable(), from: z.number().nonnegative(), to: z.number().nonnegative(), confidence: z.number().min(0).max(1),
    boxes: z.array(z.strictObject({ time: z.number().nonnegative(), x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() })).min(2),
  })),
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
  // Subtitles only when someone was named: never an empty file.
  if (Object.keys(result.screenTime).length > 0) {
    assert.equal(result.srt, srt);
    assert.match(readFileSync(srt, 'utf8'), /^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
  } else {
    assert.equal(result.srt, undefined);
    assert.equal(existsSync(srt), false);
  }
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

/** Where, within ±`searchSeconds`, a window of `cut` starting at `cutAt` best matches `source` near `sourceAt` (seconds; 0 is in sync). */
function audioLag(source: Int16Array, sourceAt: number, cut: Int16Array, cutAt: number, rate: number, searchSeconds: number): { lag: number; correlation: number } {
  const window = Math.round(0.6 * rate);
  const start = Math.round(cutAt * rate);
  let best = { lag: Number.NaN, correlation: -1 };
  for (let shift = -Math.round(searchSeconds * rate); shift <= Math.round(searchSeconds * rate); shift += 1) {
    const from = Math.round(sourceAt * rate) + shift;
    let dot = 0;
    let a2 = 0;
    let b2 = 0;
    for (let index = 0; index < window; index += 1) {
      const a = cut[start + index] ?? 0;
      const b = source[from + index] ?? 0;
      dot += a * b;
      a2 += a * a;
      b2 += b * b;
    }
    const correlation = dot / Math.sqrt(a2 * b2 || 1);
    if (correlation > best.correlation) best = { lag: shift / rate, correlation };
  }
  return best;
}

const cutJson = z.strictObject({
  output: z.string(), member: z.string(), stretches: z.array(z.strictObject({ from: z.number().nonnegative(), to: z.number().positive() })).min(1),
  durationSeconds: z.number().positive(), sourceDurationSeconds: z.number().positive(), summary: z.string(),
});

test('cut joins the stretches where a member is on screen, padded, with their sound in sync', async () => {
  const twice = path.join(tempDir, 'ad-twice.mp4');
  // The ad twice over (its own sound is silence), with a talking head's speech as the sound, so that sync can be heard.
  const speech = sharedClip('liveportrait', 'driving_d6.mp4');
  await ffmpeg('-i', AD, '-i', AD, '-i', speech, '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a', '-shortest', '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', twice);
  const output = path.join(tempDir, 'jennie-cut.mp4');
  const run = await idolens('cut', GROUP, twice, '--member', 'JENNIE', '-o', output, '--pad', '0.5', '--json');
  assertExit(run, 0);
  const [cut, ...rest] = jsonLines(run, cutJson);
  assert.ok(cut !== undefined && rest.length === 0, 'one JSON object');
  assert.equal(cut.member, 'jennie');
  assert.equal(cut.stretches.length, 2, `her shot in each half: ${JSON.stringify(cut.stretches)}`);
  const total = cut.stretches.reduce((sum, stretch) => sum + stretch.to - stretch.from, 0);
  assert.ok(Math.abs(cut.durationSeconds - total) < 0.01);
  const facts = await streamFacts(output);
  const duration = Number(facts.find((stream) => stream.codecType === 'video')?.duration ?? 0);
  assert.ok(Math.abs(duration - total) < 0.1, `the cut lasts ${duration} s, its stretches ${total} s`);
  assert.ok(facts.some((stream) => stream.codecType === 'audio'), 'the sound is kept');
  const rate = 8000;
  const [source, joined] = [await decodedAudio(twice, rate), await decodedAudio(output, rate)];
  let at = 0;
  for (const stretch of cut.stretches) {
    const match = audioLag(source, stretch.from + 0.2, joined, at + 0.2, rate, 0.25);
    assert.ok(Math.abs(match.lag) <= 0.03 && match.correlation > 0.8, `stretch ${stretch.from}–${stretch.to}: the sound is off by ${match.lag} s (correlation ${match.correlation.toFixed(2)})`);
    at += stretch.to - stretch.from;
  }
});

test('cut says so and exits 1 when the member is never on screen, and refuses a member the group does not have', async () => {
  const output = path.join(tempDir, 'nobody.mp4');
  const stranger = await idolens('cut', GROUP, sharedClip('liveportrait', 'driving_d12.mp4'), '--member', 'Jisoo', '-o', output, '--json');
  assertExit(stranger, 1);
  const [refusal] = jsonLines(stranger, errorLine);
  assert.equal(refusal?.error.code, 'not_on_screen');
  assert.match(stranger.stderr, /Jisoo is never on screen in this clip/i);
  assert.equal(existsSync(output), false, 'no file written');
  const unknown = await idolens('cut', GROUP, AD, '--member', 'Momo', '-o', output);
  assertExit(unknown, 1);
  assert.match(unknown.stderr, /BLACKPINK has no member named Momo/);
});

test('Ctrl-C cancels annotate: exit 130 within seconds, no output file and no work folder left', async () => {
  const temp = path.join(tempDir, 'tmp-cancel');
  await mkdir(temp);
  const output = path.join(tempDir, 'cancelled.mp4');
  const run = startIdolens(['--data', dataDir, '--server', SERVER, 'annotate', GROUP, sharedClip('liveportrait', 'driving_d6.mp4'), '-o', output], testEnvironment({ TMPDIR: temp, IDOLENS_LOG_LEVEL: 'warn' }));
  try {
    const deadline = Date.now() + 60_000;
    while (!(await readdir(temp)).some((name) => name.startsWith('idolens-clip-'))) {
      assert.ok(Date.now() < deadline, `the clip's work folder never appeared:\n${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run.signal('SIGINT');
    const exit = await exitWithin(run, 10_000);
    assert.equal(exit.code, 130, run.stderr());
    assert.match(run.stderr(), /Cancelled: nothing was written\./);
    assert.deepEqual((await readdir(temp)).filter((name) => name.startsWith('idolens-')), []);
    assert.equal(existsSync(output), false);
  } finally {
    await run.destroy();
  }
});
