import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknownPeople, type UnknownTrack } from '../../core/video/analysis/unknown-people.ts';
import { countUnknownPeople } from '../../core/video/report/summary.ts';
import type { VideoTrack } from '../../core/video/types.ts';

/** A unit descriptor pointing mostly along `axis`, tilted a little towards the next axis. */
function look(axis: number, tilt = 0): Float32Array {
  const descriptor = new Float32Array(8);
  descriptor[axis] = Math.cos(tilt);
  descriptor[(axis + 1) % 8] = Math.sin(tilt);
  return descriptor;
}

function track(id: number, from: number, to: number, ...descriptors: Float32Array[]): UnknownTrack {
  return { id, from, to, descriptors };
}

const SAME_PERSON = 1.0;

describe('unknown people in a clip', () => {
  test('a stranger\'s tracks, one after another and alike, are one person', () => {
    const people = unknownPeople([track(1, 0, 2, look(0), look(0, 0.1)), track(2, 3, 5, look(0, 0.3)), track(3, 6, 9, look(0, 0.2))], SAME_PERSON);
    assert.deepEqual([...people], [[1, 1], [2, 1], [3, 1]]);
  });

  test('two faces on screen at the same instant are two people, however alike', () => {
    const people = unknownPeople([track(1, 0, 4, look(0)), track(2, 2, 6, look(0, 0.05))], SAME_PERSON);
    assert.deepEqual([...people], [[1, 1], [2, 2]]);
  });

  test('unlike faces are different people, numbered in order of first appearance', () => {
    const people = unknownPeople([track(7, 5, 6, look(3)), track(4, 0, 1, look(0)), track(9, 8, 9, look(0, 0.1))], SAME_PERSON);
    assert.deepEqual([...people].sort((a, b) => a[0] - b[0]), [[4, 1], [7, 2], [9, 1]]);
  });

  test('every track of a person must look like every other (a chain of small steps does not join far ends)', () => {
    const steps = [0, 0.6, 1.2].map((tilt, index) => track(index + 1, index * 2, index * 2 + 1, look(0, tilt)));
    const people = unknownPeople(steps, 0.7);
    assert.equal(people.get(1), people.get(2));
    assert.notEqual(people.get(1), people.get(3));
  });

  test('a track without descriptors joins the person seen last before it, unless it overlaps everyone', () => {
    const people = unknownPeople([track(1, 0, 1, look(0)), track(2, 2, 3, look(4)), track(3, 4, 5), track(4, 4.5, 6)], SAME_PERSON);
    assert.deepEqual([...people].sort((a, b) => a[0] - b[0]), [[1, 1], [2, 2], [3, 2], [4, 1]]);
    assert.deepEqual([...unknownPeople([track(1, 0, 3, look(0)), track(2, 1, 2)], SAME_PERSON)], [[1, 1], [2, 2]]);
  });

  test('the count of unknown people: named tracks left out, a stranger\'s tracks once', () => {
    const base = { confidence: 0.5, votes: 2, keyframes: [], from: 0, to: 1 };
    const tracks: VideoTrack[] = [
      { ...base, id: 1, name: 'Lisa' }, { ...base, id: 2, name: null, unknownPerson: 1 }, { ...base, id: 3, name: null, unknownPerson: 1 },
      { ...base, id: 4, name: null, unknownPerson: 2 },
    ];
    assert.equal(countUnknownPeople(tracks), 2);
  });
});
