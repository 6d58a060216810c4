import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { finishTracks, smoothKeyframes } from '../../core/video/analysis/finish-tracks.ts';
import { FramePairer, FramePool, parseShowinfoLine, readFixedFrames } from '../../core/video/analysis/frame-reader.ts';
import { nameTracks, type FaceVote } from '../../core/video/analysis/name-tracks.ts';
import { throttleProgress } from '../../core/video/progress.ts';
import { FrameSampler, frameSignature } from '../../core/video/analysis/sampler.ts';
import { changedIdentity } from '../../core/video/analysis/track-identity.ts';
import { iou } from '../../core/box.ts';
import { FaceTracker } from '../../core/video/analysis/tracker.ts';
import type { VideoProgress } from '../../core/video/types.ts';

const box = (x: number, y: number, size = 100) => ({ x, y, width: size, height: size });
const vote = (member: number | null, confidences: number[]): FaceVote => ({ member, confidences, descriptor: new Float32Array(0) });

describe('face tracker', () => {
  it('keeps one identity for a face that moves steadily, even faster than its box overlaps', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    const ids = [0, 1, 2, 3, 4].map((step) => tracker.observe(step * 0.5, [box(100 + step * 70, 100)], false).trackIds[0]);
    assert.equal(new Set(ids).size, 1);
    assert.equal(tracker.all()[0]?.keyframes.length, 5);
  });

  it('does not swap two faces that pass near each other', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    const first = tracker.observe(0, [box(0, 0), box(400, 0)], false).trackIds;
    const second = tracker.observe(0.5, [box(420, 10), box(20, 10)], false).trackIds;
    assert.deepEqual(second, [first[1], first[0]]);
  });

  it('follows a face seen once that crosses the picture fast (almost two box widths in a quarter second), but not one that jumps as far at once', () => {
    const crossing = new FaceTracker({ maxGapSeconds: 1 });
    const ids = [0, 1, 2, 3].map((step) => crossing.observe(step * 0.25, [box(step * 180, 300)], false).trackIds[0]);
    assert.equal(new Set(ids).size, 1);
    const jump = new FaceTracker({ maxGapSeconds: 1 });
    const first = jump.observe(0, [box(0, 300)], false).trackIds[0];
    const second = jump.observe(0.04, [box(200, 300)], false).trackIds[0];
    assert.notEqual(first, second);
  });

  it('keeps a moving track within a box height of where its motion leads, so it cannot take a face far off its path', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    tracker.observe(0, [box(0, 0)], false);
    const [steady] = tracker.observe(0.25, [box(20, 0)], false).trackIds;
    const [offPath] = tracker.observe(0.5, [box(40, 250)], false).trackIds;
    assert.notEqual(offPath, steady);
  });

  it('starts a new track after a cut, and after a face was gone too long', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    const a = tracker.observe(0, [box(0, 0)], false).trackIds[0];
    const b = tracker.observe(0.5, [box(0, 0)], true).trackIds[0];
    const c = tracker.observe(2, [box(0, 0)], false).trackIds[0];
    assert.notEqual(a, b);
    assert.notEqual(b, c);
    assert.ok(tracker.all().slice(0, 2).every((track) => track.ended));
  });

  it('reports new and lost faces so that sampling speeds up', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    tracker.observe(0, [box(0, 0)], false);
    const step = tracker.observe(0.5, [box(600, 0, 80)], false);
    assert.equal(step.created, 1);
    assert.equal(step.lost, 1);
  });

  it('measures overlap', () => {
    assert.equal(iou(box(0, 0), box(0, 0)), 1);
    assert.equal(iou(box(0, 0), box(200, 0)), 0);
    assert.ok(Math.abs(iou(box(0, 0), box(50, 0)) - 1 / 3) < 1e-9);
  });
});

describe('naming tracks by vote', () => {
  it('names a track by its majority even when some of its faces were unknown', () => {
    const names = nameTracks([{ id: 1, from: 0, to: 3, votes: [vote(0, [0.8, 0.1]), vote(null, [0.4, 0.2]), vote(0, [0.7, 0.2])] }], 0.5);
    assert.equal(names.get(1)?.member, 0);
  });

  it('leaves a track unknown when most of its faces were not recognised', () => {
    const names = nameTracks([{ id: 1, from: 0, to: 3, votes: [vote(0, [0.6, 0.1]), vote(null, [0.3, 0.2]), vote(null, [0.2, 0.2]), vote(null, [0.3, 0.1])] }], 0.5);
    assert.equal(names.get(1)?.member, null);
  });

  it('does not name a track on one accepted face among unknown ones, nor on weak agreement', () => {
    const oneOfThree = { id: 1, from: 0, to: 3, votes: [vote(null, [0.1, 0]), vote(null, [0.2, 0]), vote(0, [0.6, 0])] };
    const weakAgreement = { id: 2, from: 0, to: 3, votes: [vote(0, [0.55, 0]), vote(0, [0.52, 0]), vote(null, [0.1, 0])] };
    const names = nameTracks([oneOfThree, weakAgreement], 0.5);
    assert.equal(names.get(1)?.member, null, 'a stranger the engine accepted once in three faces');
    assert.equal(names.get(2)?.member, null, 'mean confidence 0.39, under the group threshold');
    assert.equal(nameTracks([weakAgreement], 0.35).get(2)?.member, 0, 'a group with a lower threshold accepts it');
  });

  it('does not name a track on a single face, however sure: two faces must agree', () => {
    const single = { id: 1, from: 0, to: 0.6, votes: [vote(0, [0.95, 0])] };
    const two = { id: 2, from: 1, to: 1.6, votes: [vote(0, [0.9, 0]), vote(0, [0.85, 0])] };
    const names = nameTracks([single, two], 0.5);
    assert.equal(names.get(1)?.member, null);
    assert.equal(names.get(2)?.member, 0);
  });

  it('sees a track jump to another person when a face is recognised as someone its earlier faces were not', () => {
    const jennie = vote(0, [0.9, 0.05]);
    const stranger = vote(null, [0.02, 0.01]);
    const unsure = vote(null, [0.3, 0.2]);
    assert.equal(changedIdentity([jennie, jennie], vote(1, [0.1, 0.9])), true, 'Jennie, Jennie, then Lisa');
    assert.equal(changedIdentity([stranger, stranger], jennie), true, 'a stranger twice, then Jennie');
    assert.equal(changedIdentity([jennie], vote(1, [0.1, 0.9])), false, 'one earlier face is not enough');
    assert.equal(changedIdentity([unsure, unsure], jennie), false, 'poor views of somebody, then Jennie: the same track');
    assert.equal(changedIdentity([jennie, jennie], stranger), false, 'an unknown face does not split a named track');
  });

  it('never gives one member to two tracks on screen at the same time; the stronger claim wins', () => {
    const strong = { id: 1, from: 0, to: 4, votes: [vote(0, [0.9, 0]), vote(0, [0.9, 0]), vote(0, [0.8, 0])] };
    const weak = { id: 2, from: 2, to: 5, votes: [vote(0, [0.6, 0.3]), vote(0, [0.55, 0.3])] };
    const later = { id: 3, from: 6, to: 8, votes: [vote(0, [0.7, 0.1]), vote(0, [0.7, 0.1])] };
    const names = nameTracks([weak, strong, later], 0.5);
    assert.equal(names.get(1)?.member, 0);
    assert.equal(names.get(2)?.member, null);
    assert.equal(names.get(3)?.member, 0, 'a later, non-overlapping track may be the same member');
  });

  it('drops one-detection tracks and widens the rest to their on-screen span', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 1 });
    tracker.observe(0.5, [box(0, 0), box(500, 500)], false);
    tracker.observe(1.0, [box(10, 0)], false);
    tracker.observe(1.5, [box(20, 0)], false);
    const tracks = finishTracks(tracker.all(), new Map([[1, [vote(0, [0.9]), vote(0, [0.8])]]]), ['Lisa'], 10, 0.5, 1.0);
    assert.equal(tracks.length, 1);
    assert.equal(tracks[0]?.name, 'Lisa');
    assert.equal(tracks[0]?.from, 0.25);
    assert.equal(tracks[0]?.to, 1.75);
  });

  it('smooths box jitter between close detections', () => {
    const smoothed = smoothKeyframes([{ time: 0, box: box(0, 0) }, { time: 0.5, box: box(20, 0) }, { time: 1, box: box(0, 0) }]);
    assert.equal(smoothed[1]?.box.x, 10);
    assert.equal(smoothed[0]?.box.x, 0);
  });
});

describe('frame sampling', () => {
  const flat = (value: number) => frameSignature(new Uint8Array(64 * 36 * 3).fill(value), 64, 36);

  it('samples every 0.8 s while calm, at once on a cut and every 0.3 s after it', () => {
    const sampler = new FrameSampler();
    const analysed = [];
    for (let frame = 0; frame < 60; frame += 1) {
      if (sampler.consider(frame / 30, flat(frame < 40 ? 40 : 200)).analyse) analysed.push(frame);
    }
    assert.deepEqual(analysed, [0, 24, 40, 49, 58]);
  });

  it('takes the decoded frame nearest the due time when frames come far apart', () => {
    const sampler = new FrameSampler();
    sampler.consider(0, flat(40));
    sampler.noteStep(0, { trackIds: [1], created: 1, lost: 0, fastestMotion: 0 });
    // Only every eighth frame of a 30 fps clip is decoded (0.267 s apart): 0.267 is nearer 0.3 than 0.533 is.
    const analysed = [];
    for (let frame = 8; frame <= 32; frame += 8) if (sampler.consider(frame / 30, flat(40)).analyse) analysed.push(frame);
    assert.deepEqual(analysed, [8, 16, 24]);
  });

  it('samples faster after a face appears', () => {
    const sampler = new FrameSampler();
    sampler.consider(0, flat(40));
    sampler.noteStep(0, { trackIds: [1], created: 1, lost: 0, fastestMotion: 0 });
    const analysed = [];
    for (let frame = 1; frame < 20; frame += 1) if (sampler.consider(frame / 30, flat(40)).analyse) analysed.push(frame);
    assert.deepEqual(analysed, [9, 18]);
  });

  it('samples faster while the picture changes, before any detection says so', () => {
    const sampler = new FrameSampler();
    const analysed = [];
    for (let frame = 0; frame < 30; frame += 1) if (sampler.consider(frame / 30, flat(40 + frame * 0.5 * (frame > 10 ? 20 : 0) / 10)).analyse) analysed.push(frame);
    assert.deepEqual(analysed, [0, 11, 20, 29]);
  });

  it('reports a fade or soft cut (a large change short of a cut) on the next analysed frame, once', () => {
    const sampler = new FrameSampler();
    sampler.consider(0, flat(40));
    assert.equal(sampler.consider(0.1, flat(60)).analyse, false, 'not due yet, and no cut');
    assert.deepEqual(sampler.consider(0.8, flat(60)), { analyse: true, cut: false, softCut: true });
    assert.deepEqual(sampler.consider(1.6, flat(60)), { analyse: true, cut: false, softCut: false });
    assert.deepEqual(sampler.consider(1.7, flat(120)), { analyse: true, cut: true, softCut: false }, 'a cut is a cut, not also a soft one');
  });
});

describe('analysis frames from ffmpeg', () => {
  it('reads frame times from showinfo lines', () => {
    const line = '[Parsed_showinfo_1 @ 0x55] n:  12 pts:  6144 pts_time:0.4     pos:  1234 fmt:rgb24 sar:1/1 s:640x360 i:P iskey:0 type:P';
    assert.deepEqual(parseShowinfoLine(line), { index: 12, time: 0.4 });
    assert.equal(parseShowinfoLine('frame=  12 fps=0.0 q=-0.0 size=N/A'), undefined);
  });

  it('pairs frames with times whichever arrives first', () => {
    const pairer = new FramePairer();
    pairer.addFrame(new Uint8Array([1]));
    assert.equal(pairer.take(), undefined);
    pairer.addTime(0.5);
    pairer.addTime(0.6);
    assert.equal(pairer.take()?.time, 0.5);
    pairer.addFrame(new Uint8Array([2]));
    const second = pairer.take();
    assert.equal(second?.index, 1);
    assert.equal(second?.rgb[0], 2);
  });

  it('cuts a byte stream into whole frames across chunk boundaries', async () => {
    const frames = [];
    for await (const frame of readFixedFrames(Readable.from([Buffer.from([1, 2]), Buffer.from([3, 4, 5, 6, 7])]), 3)) frames.push([...frame]);
    assert.deepEqual(frames, [[1, 2, 3], [4, 5, 6]]);
  });

  it('fills frame buffers handed back to the pool instead of new ones, and ignores buffers moved away', async () => {
    const pool = new FramePool(3, 2);
    const seen: Uint8Array[] = [];
    for await (const frame of readFixedFrames(Readable.from([Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])]), 3, pool)) {
      seen.push(frame);
      assert.deepEqual([...frame], [seen.length * 3 - 2, seen.length * 3 - 1, seen.length * 3]);
      pool.give(frame);
    }
    assert.equal(seen[0], seen[1], 'the first buffer came back for the second frame');
    const moved = pool.take();
    structuredClone(moved, { transfer: [moved.buffer as ArrayBuffer] });
    pool.give(moved);
    assert.equal(pool.take().byteLength, 3, 'an emptied (transferred) buffer is never handed out');
  });
});

describe('progress reports', () => {
  it('reports each stage start and end but not more often than the interval', () => {
    let clock = 0;
    const seen: VideoProgress[] = [];
    const report = throttleProgress((progress) => seen.push(progress), 250, () => clock);
    report('analysing', 0);
    for (let step = 1; step <= 10; step += 1) {
      clock += 50;
      report('analysing', step * 9);
    }
    report('analysing', 100);
    report('rendering', 0);
    assert.deepEqual(seen.map((progress) => `${progress.stage}:${progress.percent}`), ['analysing:0', 'analysing:45', 'analysing:90', 'analysing:100', 'rendering:0']);
  });
});
