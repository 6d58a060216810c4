/**
 * idolens annotate end to end on real clips: real models, real ffmpeg, BLACKPINK enrolled from shared photos.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { isIdolensError, type ErrorCode } from '../../core/errors.ts';
import { annotateClip, type AnnotateRequest, type AnnotateResult } from '../../core/video/annotate.ts';
import type { VideoProgress, VideoTrack } from '../../core/video/types.ts';
import { BLACKPINK, blackpinkPhoto } from '../helpers/fixtures.ts';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime.ts';
import { decodedAudioMd5, ffmpeg, frameAt, mediaTools, sharedClip, streamFacts, videoFrameTimes, withPhoneRotation } from '../helpers/video.ts';
import { boxRecall, type JsonTrack } from '../../scripts/bench/face-recall.ts';

const SERVER = 'video-test';
const GROUP = 'BLACKPINK';
const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');
const TALKING_HEAD = sharedClip('video-retalking', 'face_2.mp4');
const SILENT = sharedClip('liveportrait', 'driving_d0.mp4');
const CROWD = sharedClip('facenet-pytorch', 'video.mp4');

/** Who is on screen in the ad, shot by shot (seconds), as watched. */
const AD_SHOTS = [
  { member: 'jennie', from: 0, to: 1.8 },
  { member: 'lisa', from: 1.8, to: 3.8 },
  { member: 'jisoo', from: 3.8, to: 5.8 },
  { member: 'rose', from: 5.8, to: 7.6 },
] as const;

let runtime: TestRuntime;
let context: CoreContext;
let outputs = 0;

before(async () => {
  runtime = await openTestRuntime('video');
  context = runtime.context;
  await context.store.createGroup(SERVER, GROUP);
  for (const member of BLACKPINK) {
    const photos = [0, 1, 2, 3, 4, 5, 6].map((index) => blackpinkPhoto(member, index));
    await enrollPhotos(context, { server: SERVER, group: GROUP, member, inputs: photos, layout: 'flat', addedBy: 'test' });
  }
});

after(async () => {
  await runtime.close();
});

function annotate(source: string, extra: Partial<AnnotateRequest> = {}): Promise<AnnotateResult> {
  outputs += 1;
  return annotateClip(context, { server: SERVER, group: GROUP, source, outputPath: path.join(runtime.tempDir, `out-${outputs}.mp4`), ...extra });
}

async function assertRefused(work: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(isIdolensError(error), `expected an IdolensError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function videoOf(facts: Awaited<ReturnType<typeof streamFacts>>) {
  const video = facts.find((stream) => stream.codecType === 'video');
  assert.ok(video, 'a video stream');
  return video;
}

/** The track's box at `time`, interpolated as the overlay draws it. */
function boxAt(track: VideoTrack, time: number) {
  const after = track.keyframes.findIndex((keyframe) => keyframe.time >= time);
  const next = track.keyframes[Math.max(0, after)];
  const previous = track.keyframes[Math.max(0, after - 1)];
  assert.ok(next && previous);
  const share = next.time === previous.time ? 0 : (time - previous.time) / (next.time - previous.time);
  const mix = (a: number, b: number): number => a + (b - a) * share;
  return { x: mix(previous.box.x, next.box.x), y: mix(previous.box.y, next.box.y), width: mix(previous.box.width, next.box.width), height: mix(previous.box.height, next.box.height) };
}

test('a talking head comes back boxed, with the same frames and the very same audio', async () => {
  const progress: VideoProgress[] = [];
  const result = await annotate(TALKING_HEAD, { onProgress: (report) => progress.push(report) });
  const [source, output] = [await streamFacts(TALKING_HEAD), await streamFacts(result.output.path)];
  assert.equal(videoOf(output).packets, videoOf(source).packets, 'same frame count');
  assert.equal(result.frames, videoOf(source).packets);
  assert.equal(videoOf(output).codecName, 'h264');
  const [sourceAudio, outputAudio] = [source.find((stream) => stream.codecType === 'audio'), output.find((stream) => stream.codecType === 'audio')];
  assert.ok(sourceAudio && outputAudio, 'the audio is kept');
  assert.ok(Math.abs(outputAudio.duration - sourceAudio.duration) < 0.05, `audio ${outputAudio.duration} s vs ${sourceAudio.duration} s`);
  assert.equal(result.output.audio, 'copied');
  assert.equal(await decodedAudioMd5(result.output.path), await decodedAudioMd5(TALKING_HEAD), 'same decoded audio');

  const track = result.tracks.find((candidate) => candidate.to - candidate.from > 2);
  assert.ok(track, `a face followed for most of the clip: ${JSON.stringify(result.tracks.map(({ from, to }) => ({ from, to })))}`);
  assert.equal(track.name, null, 'a stranger to BLACKPINK is not named');
  const middle = (track.from + track.to) / 2;
  const box = boxAt(track, middle);
  const width = videoOf(output).width ?? 0;
  const frame = await frameAt(result.output.path, middle, width, videoOf(output).height ?? 0);
  const top = Math.round(box.y);
  let grey = 0;
  for (let x = Math.round(box.x + box.width * 0.2); x < box.x + box.width * 0.8; x += 1) {
    const hit = [-2, -1, 0, 1, 2, 3].some((dy) => {
      const offset = ((top + dy) * width + x) * 3;
      const [r = 0, g = 0, b = 0] = [frame[offset], frame[offset + 1], frame[offset + 2]];
      return Math.abs(r - 0xc9) < 40 && Math.abs(g - 0xce) < 40 && Math.abs(b - 0xd6) < 40 && Math.abs(r - b) < 40;
    });
    if (hit) grey += 1;
  }
  assert.ok(grey > box.width * 0.45, `the unknown face's box is drawn along its top edge (${grey} of ${Math.round(box.width * 0.6)} columns)`);

  const stages = progress.map((report) => report.stage);
  assert.deepEqual([...new Set(stages)], ['probing', 'analysing', 'rendering']);
  assert.deepEqual(progress.at(-1), { stage: 'rendering', percent: 100 });
  assert.match(result.summary, /1 unknown person/);
});

test('strangers stay unknown for the whole clip', async () => {
  for (const clip of [sharedClip('video-retalking', 'face_4.mp4'), sharedClip('liveportrait', 'driving_d12.mp4')]) {
    const result = await annotate(clip);
    assert.ok(result.tracks.length > 0, `${clip}: faces are followed`);
    assert.deepEqual(result.screenTime, [], `${clip}: ${result.summary}`);
  }
});

/** The labelled clip's boxes, as `annotate --json` lists them. */
function jsonTracks(result: AnnotateResult): JsonTrack[] {
  return result.tracks.map((track) => ({ name: track.name, from: track.from, to: track.to, boxes: track.keyframes.map((keyframe) => ({ time: keyframe.time, ...keyframe.box })) }));
}

test('a wide crowd shot: the faces the accurate detector finds on full-size frames carry boxes (the fast detector alone boxed almost none)', async () => {
  const result = await annotate(CROWD);
  const recall = await boxRecall(await context.faces(), mediaTools.ffmpeg.path, { path: CROWD, width: 1920, height: 1080 }, jsonTracks(result));
  assert.ok(recall.faces >= 80, `${recall.faces} reference faces over the clip`);
  assert.ok(recall.recall >= 0.8, `${recall.boxed} of ${recall.faces} faces boxed`);
});

test('a vertical fancam keeps its orientation and its small faces are boxed', async () => {
  const vertical = path.join(runtime.tempDir, 'crowd-vertical.mp4');
  await ffmpeg('-i', CROWD, '-vf', 'crop=608:1080,scale=1080:1920,setsar=1', '-c:v', 'libx264', '-preset', 'veryfast', '-an', vertical);
  const result = await annotate(vertical);
  assert.deepEqual([result.output.width, result.output.height], [1080, 1920]);
  const video = (await streamFacts(result.output.path)).find((stream) => stream.codecType === 'video');
  assert.deepEqual([video?.width, video?.height], [1080, 1920]);
  const recall = await boxRecall(await context.faces(), mediaTools.ffmpeg.path, { path: vertical, width: 1080, height: 1920 }, jsonTracks(result));
  assert.ok(recall.recall >= 0.8, `${recall.boxed} of ${recall.faces} faces boxed`);
});

test('a stranger who leaves the picture twice and comes back is one unknown person, not one per track', async () => {
  const blanked = path.join(runtime.tempDir, 'comes-back.mp4');
  // The picture goes black twice: each time the face is lost, and a new track follows it when it returns.
  await ffmpeg('-i', sharedClip('video-retalking', 'face_4.mp4'), '-vf', "drawbox=enable='between(t,2,3)+between(t,4.2,5.2)':color=black:t=fill", '-an', blanked);
  const result = await annotate(blanked);
  const unknown = result.tracks.filter((track) => track.name === null);
  assert.ok(unknown.length >= 3, `the stranger is followed on ${unknown.length} tracks: ${unknown.map((track) => `${track.from}–${track.to}`).join(', ')}`);
  assert.deepEqual(new Set(unknown.map((track) => track.unknownPerson)), new Set([1]));
  assert.match(result.summary, /^Nobody recognised in 6\.\d s; 1 unknown person$/);
});

test('the BLACKPINK ad: one track per shot, most members named, every name given right, and a member never on two tracks at once', async () => {
  const result = await annotate(AD);
  const named = result.tracks.filter((track) => track.name !== null);
  for (const track of result.tracks) {
    const middle = (track.from + track.to) / 2;
    const shot = AD_SHOTS.find((candidate) => middle >= candidate.from && middle < candidate.to);
    assert.ok(shot, `track ${track.from}–${track.to} inside the clip`);
    if (track.name !== null) assert.equal(track.name, shot.member, `track ${track.from}–${track.to}`);
  }
  for (const shot of AD_SHOTS) {
    const covering = result.tracks.filter((track) => Math.min(track.to, shot.to) - Math.max(track.from, shot.from) > 0.5 * (shot.to - shot.from));
    assert.equal(covering.length, 1, `one track follows ${shot.member}'s shot`);
  }
  assert.ok(named.length >= 3, `at least three members recognised (the benchmark target is all four): ${result.summary}`);
  for (const a of named) {
    for (const b of named) {
      if (a !== b && a.name === b.name) assert.ok(a.to <= b.from || b.to <= a.from, `${a.name} on two tracks at once`);
    }
  }
  for (const entry of result.screenTime) {
    assert.ok(entry.seconds > 1 && entry.seconds <= result.durationSeconds, `${entry.name}: ${entry.seconds} s`);
    assert.ok(result.summary.includes(entry.name));
  }
  assert.match(result.srt, /^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\n/);
});

test('a clip without audio works and stays silent', async () => {
  const result = await annotate(SILENT);
  const output = await streamFacts(result.output.path);
  assert.equal(output.filter((stream) => stream.codecType === 'audio').length, 0);
  assert.equal(result.output.audio, 'none');
  assert.equal(result.frames, videoOf(await streamFacts(SILENT)).packets);
});

test('a clip shot on an upright phone comes back upright, the same way round as players show it', async () => {
  // As a phone stores it: the pixels lie on their side (turned a quarter counter-clockwise), and the display
  // matrix tells players to turn them back.
  const sideways = path.join(runtime.tempDir, 'sideways.mp4');
  const rotated = path.join(runtime.tempDir, 'upright-phone.mp4');
  await ffmpeg('-i', sharedClip('liveportrait', 'driving_d9.mp4'), '-t', '6', '-vf', 'transpose=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', sideways);
  withPhoneRotation(sideways, rotated);
  const stored = videoOf(await streamFacts(rotated));
  assert.deepEqual([stored.width, stored.height, Math.abs(stored.rotation)], [480, 512, 90]);
  const result = await annotate(rotated);
  const output = videoOf(await streamFacts(result.output.path));
  assert.deepEqual([output.width, output.height, output.rotation], [512, 480, 0], 'upright pixels, nothing left for players to turn');
  assert.ok(result.tracks.some((track) => track.to - track.from > 4), `the face is found upright: ${JSON.stringify(result.tracks.map(({ from, to }) => ({ from, to })))}`);
  for (const track of result.tracks) for (const { box } of track.keyframes) assert.ok(box.x + box.width <= 512 + 1 && box.y + box.height <= 480 + 1, 'boxes in upright coordinates');
});

test('a variable-frame-rate clip keeps every frame at its own time', async () => {
  const clip = path.join(runtime.tempDir, 'vfr.mp4');
  await ffmpeg('-i', TALKING_HEAD, '-vf', "setpts='if(lt(N,40),2*N,40+N)/25/TB',scale=320:320", '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', clip);
  const result = await annotate(clip);
  const [before, after] = [await videoFrameTimes(clip), await videoFrameTimes(result.output.path)];
  assert.equal(after.length, before.length);
  const offset = (after[0] ?? 0) - (before[0] ?? 0);
  const drift = Math.max(...before.map((time, index) => Math.abs((after[index] ?? 0) - offset - time)));
  assert.ok(drift < 0.002, `frame times moved by up to ${drift} s`);
});

test('a byte budget below the clip\'s own size gives a file within it', async () => {
  const budget = Math.floor(statSync(AD).size * 0.4);
  const result = await annotate(AD, { maxBytes: budget });
  assert.ok(result.output.bytes <= budget, `${result.output.bytes} > ${budget}`);
  assert.equal(statSync(result.output.path).size, result.output.bytes);
});

test('a budget no clip could fit is refused before any decoding, and nothing is written', async () => {
  const target = path.join(runtime.tempDir, 'never.mp4');
  await assertRefused(annotateClip(context, { server: SERVER, group: GROUP, source: AD, outputPath: target, maxBytes: 20_000 }), 'output_too_large');
  assert.equal(existsSync(target), false);
});

test('bad clips are refused with their reason and leave no output', async () => {
  const text = path.join(runtime.tempDir, 'notes.mp4');
  await writeFile(text, 'not a video at all\n'.repeat(50));
  const target = path.join(runtime.tempDir, 'bad.mp4');
  await assertRefused(annotateClip(context, { server: SERVER, group: GROUP, source: text, outputPath: target }), 'unsupported_video');
  const strict: CoreContext = { ...context, videoLimits: { ...context.videoLimits, maxSeconds: 5 } };
  const started = performance.now();
  await assertRefused(annotateClip(strict, { server: SERVER, group: GROUP, source: AD, outputPath: target }), 'video_too_long');
  assert.ok(performance.now() - started < 1500, 'refused from the header, without decoding');
  await assertRefused(annotateClip(context, { server: SERVER, group: 'NOBODY', source: AD, outputPath: target }), 'group_not_found');
  assert.equal(existsSync(target), false);
});
