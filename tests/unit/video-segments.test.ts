import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { segmentBounds } from '../../core/video/analysis/analyze-clip.ts';
import type { SegmentAnalysis } from '../../core/video/analysis/analyze-segment.ts';
import { mergeSegments } from '../../core/video/analysis/merge-segments.ts';
import type { FaceVote } from '../../core/video/analysis/name-tracks.ts';
import type { FaceTrack } from '../../core/video/analysis/tracker.ts';

const box = (x: number) => ({ x, y: 100, width: 100, height: 100 });
const look = (value: number): Float32Array => new Float32Array(128).fill(value);
const vote = (descriptor: Float32Array): FaceVote => ({ member: 0, confidences: [0.9], descriptor });

function track(id: number, times: number[], x: number, ended = false): FaceTrack {
  return { id, keyframes: times.map((time) => ({ time, box: box(x) })), ended };
}

/** dlib's same-person distance: these looks are 128 equal values, so 0.01 apart per value is 0.11 apart. */
const SAME_PERSON = 0.42;

function segment(start: number, end: number, tracks: FaceTrack[], votes: [number, FaceVote[]][] = []): SegmentAnalysis {
  return { start, end, tracks, votes: new Map(votes), decodedFrames: 0, analysedFrames: 0, describedFrames: 0, sweptFrames: 0 };
}

describe('clip segments', () => {
  it('gives each worker an equal stretch, and short clips fewer segments', () => {
    assert.deepEqual(segmentBounds(40, 2), [{ start: 0, end: 20 }, { start: 20, end: 40 }]);
    assert.equal(segmentBounds(5, 2).length, 1);
    assert.equal(segmentBounds(7.6, 8).length, 2);
    assert.equal(segmentBounds(100, 4).at(-1)?.end, 100);
  });

  it('joins a face followed across a boundary into one track, with all its votes', () => {
    const merged = mergeSegments([
      segment(0, 10, [track(1, [8, 9, 9.8], 200)], [[1, [vote(look(0.01))]]]),
      segment(10, 20, [track(1_000_001, [10.1, 11], 205)], [[1_000_001, [vote(look(0.012))]]]),
    ], SAME_PERSON);
    assert.equal(merged.tracks.length, 1);
    assert.deepEqual(merged.tracks[0]?.keyframes.map((keyframe) => keyframe.time), [8, 9, 9.8, 10.1, 11]);
    assert.equal(merged.votes.get(1)?.length, 2);
  });

  it('keeps tracks apart when the boxes do not meet, the faces differ, or the first one ended long before', () => {
    const apart = mergeSegments([segment(0, 10, [track(1, [9, 9.8], 0)]), segment(10, 20, [track(1_000_001, [10.1, 11], 600)])], SAME_PERSON);
    assert.equal(apart.tracks.length, 2);
    const otherPerson = mergeSegments([
      segment(0, 10, [track(1, [9, 9.8], 200)], [[1, [vote(look(0))]]]),
      segment(10, 20, [track(1_000_001, [10.1, 11], 200)], [[1_000_001, [vote(look(0.1))]]]),
    ], SAME_PERSON);
    assert.equal(otherPerson.tracks.length, 2);
    const gone = mergeSegments([segment(0, 10, [track(1, [2, 3], 200)]), segment(10, 20, [track(1_000_001, [10.1, 11], 200)])], SAME_PERSON);
    assert.equal(gone.tracks.length, 2);
  });
});
