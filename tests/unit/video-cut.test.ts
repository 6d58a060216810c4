import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memberStretches, totalSeconds } from '../../core/video/cut/stretches.ts';
import type { VideoTrack } from '../../core/video/types.ts';

const track = (name: string | null, from: number, to: number): VideoTrack => ({ id: from, name, confidence: 0.9, votes: 3, keyframes: [], from, to });

test('a member\'s stretches: her tracks padded, kept within the clip, merged where they meet, others left out', () => {
  const tracks = [track('Sana', 8, 9), track('Momo', 0, 20), track('Sana', 0.2, 2), track(null, 3, 4), track('Sana', 2.6, 4), track('Sana', 19, 20)];
  const stretches = memberStretches(tracks, 'Sana', 0.5, 20);
  assert.deepEqual(stretches, [{ from: 0, to: 4.5 }, { from: 7.5, to: 9.5 }, { from: 18.5, to: 20 }]);
  assert.equal(totalSeconds(stretches), 8);
  assert.deepEqual(memberStretches(tracks, 'Jihyo', 0.5, 20), []);
});
