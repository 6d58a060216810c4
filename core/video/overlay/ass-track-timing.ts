import type { Box } from '../../types.ts';
import { toCentiseconds } from './ass-text.ts';
import type { TrackKeyframe } from '../types.ts';

/** One stretch of a track's time on screen, during which its box moves linearly from `from` to `to`. */
export interface TrackSegment {
  /** Centiseconds; a segment ends exactly where the next one of the same track starts. */
  start: number;
  end: number;
  from: Box;
  to: Box;
}

/** A single detection is still shown for at least this long (centiseconds). */
const MIN_VISIBLE_CENTISECONDS = 10;

/**
 * Cuts a track's time on screen into segments that tile it exactly: from `holdSeconds` before its first keyframe
 * (not before 0) to `holdSeconds` after its last, with a boundary at every keyframe. Each boundary is rounded to
 * centiseconds once and shared by the segments on either side of it; the box at a boundary is the track's
 * interpolated box at that rounded instant, so consecutive segments meet at the same box.
 */
export function trackSegments(keyframes: readonly TrackKeyframe[], holdSeconds: number): TrackSegment[] {
  const ordered = usableKeyframes(keyframes);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (first === undefined || last === undefined) return [];
  const hold = Math.max(0, holdSeconds);
  const boundaries = distinctAscending([
    toCentiseconds(first.time - hold),
    ...ordered.map((keyframe) => toCentiseconds(keyframe.time)),
    toCentiseconds(last.time + hold),
  ]);
  const start = boundaries[0] ?? 0;
  const end = boundaries.at(-1) ?? start;
  if (end - start < MIN_VISIBLE_CENTISECONDS) boundaries.push(start + MIN_VISIBLE_CENTISECONDS);

  const segments: TrackSegment[] = [];
  for (let index = 1; index < boundaries.length; index += 1) {
    const from = boundaries[index - 1];
    const to = boundaries[index];
    if (from === undefined || to === undefined) continue;
    segments.push({ start: from, end: to, from: boxAt(ordered, from / 100), to: boxAt(ordered, to / 100) });
  }
  return segments;
}

/** The track's box at `time` seconds: linear between keyframes, held still before the first and after the last. */
export function boxAt(ordered: readonly TrackKeyframe[], time: number): Box {
  const first = ordered[0];
  if (first === undefined) throw new RangeError('a track needs at least one keyframe');
  if (time <= first.time) return first.box;
  for (let index = 1; index < ordered.length; index += 1) {
    const after = ordered[index];
    const before = ordered[index - 1];
    if (after === undefined || before === undefined || time > after.time) continue;
    const span = after.time - before.time;
    return lerpBox(before.box, after.box, span > 0 ? (time - before.time) / span : 1);
  }
  return ordered.at(-1)?.box ?? first.box;
}

function lerpBox(a: Box, b: Box, fraction: number): Box {
  const lerp = (from: number, to: number): number => from + (to - from) * fraction;
  return { x: lerp(a.x, b.x), y: lerp(a.y, b.y), width: lerp(a.width, b.width), height: lerp(a.height, b.height) };
}

/** Keyframes with finite times and boxes, in time order; of several at one instant the last is kept. */
export function usableKeyframes(keyframes: readonly TrackKeyframe[]): TrackKeyframe[] {
  const finite = keyframes.filter(
    ({ time, box }) => [time, box.x, box.y, box.width, box.height].every(Number.isFinite) && box.width > 0 && box.height > 0,
  );
  const ordered = finite.map((keyframe, index) => ({ keyframe, index })).sort((a, b) => a.keyframe.time - b.keyframe.time || a.index - b.index);
  return ordered.map(({ keyframe }) => keyframe).filter((keyframe, index, all) => all[index + 1]?.time !== keyframe.time);
}

function distinctAscending(values: readonly number[]): number[] {
  const result: number[] = [];
  for (const value of values) {
    const previous = result.at(-1);
    if (previous === undefined || value > previous) result.push(value);
  }
  return result;
}
