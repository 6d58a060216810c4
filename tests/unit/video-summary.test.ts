import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDurationTenths } from '../../core/format.ts';
import { srtTimestamp, toSrt } from '../../core/video/report/srt.ts';
import { describeScreenTime, screenTime, timeline } from '../../core/video/report/summary.ts';
import type { ScreenTimeEntry, TimelineSegment, VideoTrack } from '../../core/video/types.ts';

let nextId = 1;
function track(name: string | null, from: number, to: number): VideoTrack {
  const box = { x: 10, y: 10, width: 50, height: 50 };
  return { id: nextId++, name, confidence: 0.9, votes: 3, keyframes: [{ time: from, box }, { time: to, box }], from, to };
}

test('a member on overlapping tracks is counted once, and unknown faces are left out', () => {
  const entries = screenTime([track('Lisa', 0, 10), track('Lisa', 5, 15), track(null, 0, 30), track('Lisa', 20, 22)], 30);
  assert.deepEqual(entries, [{ name: 'Lisa', seconds: 17, percent: 56.7, first: 0, last: 22 }]);
});

test('screen time is sorted by seconds, ties by name, and rounded to 0.01 s and 0.1 %', () => {
  const entries = screenTime([track('Rosé', 1, 4), track('Jennie', 2.333, 9.111), track('Jisoo', 10, 13), track('Lisa', 0, 40)], 40);
  assert.deepEqual(
    entries.map((entry) => [entry.name, entry.seconds, entry.percent]),
    [['Lisa', 40, 100], ['Jennie', 6.78, 16.9], ['Jisoo', 3, 7.5], ['Rosé', 3, 7.5]],
  );
});

test('tracks are clipped to the clip, so percent never passes 100', () => {
  const [entry] = screenTime([track('Lisa', -2, 5), track('Lisa', 8, 12)], 10);
  assert.deepEqual(entry, { name: 'Lisa', seconds: 7, percent: 70, first: 0, last: 10 });
  assert.equal(screenTime([track('Lisa', 0, 5)], 0)[0]?.percent, 0, 'an unknown duration gives 0 %, not Infinity');
  assert.deepEqual(screenTime([track(null, 0, 5)], 10), []);
});

test('the timeline is cut at every named boundary and lists who is on screen, by name', () => {
  const segments = timeline([track('Lisa', 0, 6), track('Jennie', 4, 10), track(null, 0, 12), track('Rosé', 14, 16)], 20);
  assert.deepEqual(segments, [
    { from: 0, to: 4, names: ['Lisa'] },
    { from: 4, to: 6, names: ['Jennie', 'Lisa'] },
    { from: 6, to: 10, names: ['Jennie'] },
    { from: 14, to: 16, names: ['Rosé'] },
  ]);
});

test('timeline neighbours with the same members merge, and slivers fold into the stretch before them', () => {
  const segments = timeline(
    [
      track('Lisa', 0, 5),
      track('Lisa', 5, 8), // a second track picking up where the first ended
      track('Lisa', 8.03, 12), // re-acquired after a 0.03 s gap
      track('Jennie', 11.98, 20), // overlaps Lisa by a 0.02 s sliver
    ],
    20,
  );
  assert.deepEqual(segments, [
    { from: 0, to: 12, names: ['Lisa'] },
    { from: 12, to: 20, names: ['Jennie'] },
  ]);
});

test('a gap longer than a sliver keeps the two stretches apart', () => {
  assert.deepEqual(timeline([track('Lisa', 0, 2), track('Lisa', 2.5, 4)], 10), [
    { from: 0, to: 2, names: ['Lisa'] },
    { from: 2.5, to: 4, names: ['Lisa'] },
  ]);
});

test('SRT cues are numbered from 1, timed HH:MM:SS,mmm and separated by blank lines', () => {
  const segments: TimelineSegment[] = [
    { from: 0, to: 1.25, names: ['Lisa'] },
    { from: 3725.5, to: 3727.004, names: ['Jennie', 'Lisa'] },
  ];
  assert.equal(toSrt(segments), '1\n00:00:00,000 --> 00:00:01,250\nLisa\n\n2\n01:02:05,500 --> 01:02:07,004\nJennie, Lisa\n');
  assert.equal(srtTimestamp(3725.5 * 1000), '01:02:05,500');
  assert.equal(srtTimestamp(360_000_000 + 59_999), '100:00:59,999');
  assert.equal(toSrt([]), '');
});

test('names cannot break the SRT structure', () => {
  const srt = toSrt([
    { from: 0, to: 1, names: ['Li\nsa\r\n\n2\n00:00:00,000 --> 00:00:09,000', 'Jen\u0000nie'] },
    { from: 1, to: 2, names: ['\n\t'] },
    { from: 2, to: 3, names: ['Rosé'] },
  ]);
  assert.equal(srt, '1\n00:00:00,000 --> 00:00:01,000\nLi sa 2 00:00:00,000 -> 00:00:09,000, Jen nie\n\n2\n00:00:02,000 --> 00:00:03,000\nRosé\n');
});

test('the one-line description names members with seconds and percent, then the unknown people', () => {
  const entries: ScreenTimeEntry[] = [
    { name: 'Lisa', seconds: 12.34, percent: 41.1, first: 0, last: 20 },
    { name: 'Jennie', seconds: 8, percent: 26.7, first: 3, last: 11 },
  ];
  assert.equal(describeScreenTime(entries, 30, 3), 'Lisa 12.3 s (41%), Jennie 8.0 s (27%); 3 unknown people');
  assert.equal(describeScreenTime(entries, 30), 'Lisa 12.3 s (41%), Jennie 8.0 s (27%)');
  assert.equal(describeScreenTime([], 30, 1), 'Nobody recognised in 30.0 s; 1 unknown person');
  const crowd = Array.from({ length: 9 }, (_, index): ScreenTimeEntry => ({ name: `M${index}`, seconds: 9 - index, percent: 30 - index, first: 0, last: 1 }));
  assert.match(describeScreenTime(crowd, 30), /^M0 9\.0 s \(30%\), .*M5 4\.0 s \(25%\) \+ 3 more$/);
  assert.equal(formatDurationTenths(125.4), '2 min 5 s');
});
