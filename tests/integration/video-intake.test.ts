import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isIdolensError, type ErrorCode } from '../../core/errors.ts';
import { prepareVideoInput } from '../../core/video/input/input.ts';
import { DEFAULT_VIDEO_LIMITS } from '../../core/video/input/limits.ts';
import { probeVideo } from '../../core/video/input/probe.ts';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import type { VideoContainer, VideoLimits, VideoProbe } from '../../core/video/types.ts';
import { facesDir } from '../helpers/faces-dir.ts';
import { ffmpeg, mediaTools, sharedClip, withPhoneRotation } from '../helpers/video.ts';

/** A hang shows up as a failure within seconds instead of the default ten minutes. */
const LIMITS: VideoLimits = { ...DEFAULT_VIDEO_LIMITS, timeoutSeconds: 20 };

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'idolens-video-intake-'));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let dirCount = 0;
function freshDir(): string {
  dirCount += 1;
  const dir = path.join(tempRoot, `case-${dirCount}`);
  mkdirSync(dir);
  return dir;
}

const talkingHead = sharedClip('video-retalking', 'face_2.mp4');

async function intake(file: string, limits: VideoLimits = LIMITS): Promise<VideoProbe> {
  const input = await prepareVideoInput(file, freshDir(), limits);
  return probeVideo(mediaTools.ffprobe, input, limits);
}

async function assertRefused(work: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(isIdolensError(error), `expected an IdolensError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** The first `share` of a file's bytes, as a download that stopped early leaves it. */
function truncatedCopy(file: string, share: number, name: string): string {
  const bytes = readFileSync(file);
  const target = path.join(freshDir(), name);
  writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * share)));
  return target;
}

function mkfifo(file: string): void {
  const made = spawnSync('mkfifo', [file]);
  assert.equal(made.status, 0, `mkfifo failed: ${made.stderr.toString()}`);
}

/**
 * A process that opens `fifo` for writing. That open only returns once someone opens the FIFO for reading, so
 * `opened()` turning true means something read the file. `ready` resolves when the writer is about to block.
 */
function fifoWriter(fifo: string): { ready: Promise<void>; opened: () => boolean; stop: () => void } {
  const script = "process.stdout.write('ready\\n'); require('node:fs').openSync(process.argv[1], 'w'); process.stdout.write('opened\\n');";
  const child = spawn(process.execPath, ['-e', script, fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
  });
  return { ready, opened: () => output.includes('opened'), stop: () => child.kill('SIGKILL') };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await pause(20)) if (condition()) return true;
  return condition();
}

test('a photo and a text file are refused as not videos, with what they are', async () => {
  const photoDir = path.join(facesDir, 'blackpink_celebfr', 'jennie');
  const jpeg = readdirSync(photoDir).filter((name) => name.endsWith('.jpg')).sort()[0];
  assert.ok(jpeg, `no JPEG in ${photoDir}`);
  await assertRefused(intake(path.join(photoDir, jpeg)), 'unsupported_video', /photo.*identify/);
  const notes = path.join(freshDir(), 'clip.mp4');
  writeFileSync(notes, 'jennie fancam 2019-06-01, stage 3\n');
  await assertRefused(intake(notes), 'unsupported_video', /text file/);
});

test('an empty file, a missing one, one over the byte limit, a folder and a FIFO are refused before any read', async () => {
  const empty = path.join(freshDir(), 'empty.mp4');
  writeFileSync(empty, '');
  await assertRefused(intake(empty), 'empty_file');
  await assertRefused(intake(path.join(tempRoot, 'no-such-clip.mp4')), 'not_found');
  await assertRefused(intake(talkingHead, { ...LIMITS, maxBytes: 100_000 }), 'video_too_large', /0\.5 MiB; the limit is 98 KiB/);
  await assertRefused(intake(freshDir()), 'not_found', /folder/);

  const fifo = path.join(freshDir(), 'clip.mp4');
  mkfifo(fifo);
  const writer = fifoWriter(fifo);
  try {
    await writer.ready;
    const started = Date.now();
    await assertRefused(intake(fifo), 'not_found', /not a regular file/);
    assert.ok(Date.now() - started < 2000, 'refused without blocking');
    await pause(200);
    assert.equal(writer.opened(), false, 'the FIFO was opened for reading');
    // The control: opening it for reading is seen by the writer, so the check above can fail.
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    assert.ok(await waitUntil(writer.opened, 5000), 'the writer never saw a reader');
  } finally {
    writer.stop();
  }
});

test('an MP4 cut short is refused as corrupt, whether the index survived or not', async () => {
  const indexFirst = path.join(freshDir(), 'faststart.mp4');
  await ffmpeg('-i', talkingHead, '-c', 'copy', '-movflags', '+faststart', indexFirst);
  assert.equal((await intake(indexFirst)).video.frames, 125, 'the whole file is fine');
  await assertRefused(intake(truncatedCopy(indexFirst, 0.5, 'half.mp4')), 'corrupt_video', /only \d+ of its 125 frames/);
  await assertRefused(intake(truncatedCopy(indexFirst, 0.9, 'ninety.mp4')), 'corrupt_video', /only \d+ of its 125 frames/);
  // face_2.mp4 keeps its index (moov) at the end: cutting the file loses it.
  await assertRefused(intake(truncatedCopy(talkingHead, 0.9, 'no-index.mp4')), 'corrupt_video');
});

test('a Matroska file or a fragmented MP4 cut short is refused by its announced duration; whole ones pass', async () => {
  const dir = freshDir();
  const matroska = path.join(dir, 'clip.mkv');
  const fragmented = path.join(dir, 'fragmented.mp4');
  await ffmpeg('-i', talkingHead, '-c', 'copy', matroska);
  await ffmpeg('-i', talkingHead, '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', fragmented);
  const whole = await intake(matroska);
  assert.equal(whole.container, 'matroska');
  assert.equal(whole.video.frames, null, 'Matroska does not announce a frame count');
  assert.equal((await intake(fragmented)).video.frames, null);
  await assertRefused(intake(truncatedCopy(matroska, 0.9, 'cut.mkv')), 'corrupt_video', /picture stops at/);
  await assertRefused(intake(truncatedCopy(fragmented, 0.9, 'cut.mp4')), 'corrupt_video', /picture stops at/);
});

test('an intact clip probes with its real size, rate, duration and audio', async () => {
  const talking = await intake(talkingHead);
  assert.equal(talking.container, 'mp4');
  assert.match(talking.formatName, /\bmp4\b/);
  assert.deepEqual(
    { ...talking.video, frameRate: Math.round(talking.video.frameRate * 1000) / 1000 },
    { streamIndex: 0, codec: 'h264', width: 844, height: 844, displayWidth: 844, displayHeight: 844, rotation: 0, frameRate: 25, variableFrameRate: false, frames: 125, pixelFormat: 'yuv420p' },
  );
  assert.ok(Math.abs(talking.durationSeconds - 5.015) < 0.01, `duration ${talking.durationSeconds}`);
  assert.equal(talking.streams, 2);
  assert.equal(talking.bytes, statSync(talkingHead).size);
  assert.equal(talking.audio?.codec, 'aac');
  assert.equal(talking.audio?.channels, 2);
  assert.equal(talking.audio?.sampleRate, 44100);
  assert.ok((talking.audio?.bitRate ?? 0) > 64_000, `audio bit rate ${talking.audio?.bitRate}`);

  const silent = await intake(sharedClip('liveportrait', 'driving_d0.mp4'));
  assert.equal(silent.audio, null);
  assert.equal(silent.streams, 1);
  assert.deepEqual([silent.video.width, silent.video.height, silent.video.frameRate, silent.video.frames], [512, 512, 25, 78]);
  assert.ok(Math.abs(silent.durationSeconds - 3.12) < 0.01);
});

test('a variable-frame-rate clip made here is flagged as such', async () => {
  const clip = path.join(freshDir(), 'vfr.mp4');
  // The first 40 frames last two frame times each, the rest one.
  await ffmpeg('-i', sharedClip('liveportrait', 'driving_d0.mp4'), '-vf', "setpts='if(lt(N,40),2*N,40+N)/25/TB',scale=128:128",
    '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', clip);
  const probe = await intake(clip);
  assert.equal(probe.video.variableFrameRate, true);
  assert.equal(probe.video.frames, 78);
  assert.ok(probe.video.frameRate < 20, `average rate ${probe.video.frameRate}`);
});

test('a clip shot on an upright phone reads as turned 90° clockwise, its display size swapped', async () => {
  const source = sharedClip('liveportrait', 'driving_d9.mp4');
  const upright = path.join(freshDir(), 'upright.mp4');
  withPhoneRotation(source, upright);
  const probe = await intake(upright);
  assert.equal(probe.video.rotation, 90);
  assert.deepEqual([probe.video.width, probe.video.height, probe.video.displayWidth, probe.video.displayHeight], [512, 480, 480, 512]);
  assert.equal((await intake(source)).video.rotation, 0);
});

test("ffmpeg 4.1's rotate tag on a stream copy comes back as its opposite turn, and both readers agree", async () => {
  const tagged = path.join(freshDir(), 'tagged.mp4');
  await ffmpeg('-i', sharedClip('liveportrait', 'driving_d9.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', tagged);
  const probe = await intake(tagged);
  const readBack = await runTool(mediaTools.ffmpeg.path, { args: ['-hide_banner', '-i', tagged], timeoutMs: 20_000 });
  assert.match(readBack.stderrTail, /rotate\s*:\s*270/, 'ffmpeg 4.1 reads its own file back as 270');
  assert.equal(probe.video.rotation, 270);
  assert.deepEqual([probe.video.displayWidth, probe.video.displayHeight], [480, 512]);
});

test('a sound-only file is refused for having no picture', async () => {
  const sound = path.join(freshDir(), 'sound.m4a');
  await ffmpeg('-i', talkingHead, '-vn', '-c:a', 'copy', sound);
  await assertRefused(intake(sound), 'no_video_stream', /only audio tracks/);
});

test('a file with more streams than allowed is refused with the count', async () => {
  const crowded = path.join(freshDir(), 'crowded.mp4');
  const audioCopies = Array.from({ length: 8 }, () => ['-map', '0:a']).flat();
  await ffmpeg('-i', talkingHead, '-t', '1', '-map', '0:v', ...audioCopies, '-c', 'copy', crowded);
  await assertRefused(intake(crowded), 'too_many_streams', /has 9 tracks .*the limit is 8/);
});

test('a frame over the pixel or side limit is refused with its size', async () => {
  await assertRefused(intake(talkingHead, { ...LIMITS, maxPixels: 640 * 480 }), 'video_too_large', /844×844/);
  await assertRefused(intake(talkingHead, { ...LIMITS, maxSide: 720 }), 'video_too_large', /no side over 720/);
});

test('a clip over the duration limit is refused from its header, far faster than decoding it', async () => {
  const long = path.join(freshDir(), 'long.mp4');
  await ffmpeg('-stream_loop', '2', '-i', sharedClip('liveportrait', 'driving_d6.mp4'), '-c', 'copy', long);
  const decodeStart = performance.now();
  await ffmpeg('-i', long, '-f', 'null', '-');
  const decodeMs = performance.now() - decodeStart;

  const probeStart = performance.now();
  await assertRefused(intake(long, { ...LIMITS, maxSeconds: 60 }), 'video_too_long', /This clip is 1 min 4\d s long; the limit is 1 min\./);
  const probeMs = performance.now() - probeStart;
  assert.ok(probeMs < decodeMs / 3, `probe took ${probeMs.toFixed(0)} ms, decoding ${decodeMs.toFixed(0)} ms`);
});

const ALL_CONTAINERS: VideoContainer[] = ['mp4', 'matroska', 'avi', 'mpegts', 'gif'];

/** Refused at intake, refused by ffprobe when handed over directly under every demuxer, and the FIFO never opened. */
async function assertListNeverFollowed(list: string, fifo: string, reason: RegExp): Promise<void> {
  const writer = fifoWriter(fifo);
  try {
    await writer.ready;
    await assertRefused(intake(list), 'unsupported_video', reason);
    const bytes = statSync(list).size;
    for (const container of ALL_CONTAINERS) {
      await assertRefused(probeVideo(mediaTools.ffprobe, { path: list, container, bytes }, LIMITS), 'corrupt_video');
    }
    await pause(200);
    assert.equal(writer.opened(), false, `${path.basename(fifo)} was opened`);
  } finally {
    writer.stop();
  }
}

/** Without the hardened arguments ffprobe follows the list and opens the FIFO: the threat is real. */
async function assertPlainFfprobeFollows(args: string[], fifo: string): Promise<void> {
  const writer = fifoWriter(fifo);
  try {
    await writer.ready;
    await runTool(mediaTools.ffprobe.path, { args: ['-v', 'error', ...args, '-show_format'], timeoutMs: 20_000 });
    assert.ok(await waitUntil(writer.opened, 5000), 'plain ffprobe did not open the listed file');
  } finally {
    writer.stop();
  }
}

test('an HLS playlist naming a local segment is refused and the segment is never opened', async () => {
  const dir = freshDir();
  const segment = path.join(dir, 'segment0.ts');
  mkfifo(segment);
  const playlist = path.join(dir, 'fancam.m3u8');
  writeFileSync(playlist, `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${path.basename(segment)}\n#EXT-X-ENDLIST\n`);
  await assertListNeverFollowed(playlist, segment, /HLS playlist/);
  await assertPlainFfprobeFollows(['-i', playlist], segment);
});

test('an ffconcat list naming a local clip is refused and the clip is never opened', async () => {
  const dir = freshDir();
  const named = path.join(dir, 'stage.mp4');
  mkfifo(named);
  const list = path.join(dir, 'fancam.mp4');
  writeFileSync(list, `ffconcat version 1.0\nfile '${path.basename(named)}'\n`);
  await assertListNeverFollowed(list, named, /concat list/);
  await assertPlainFfprobeFollows(['-i', list], named);
});
