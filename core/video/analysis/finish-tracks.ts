import type { Box } from '../../types.ts';
import { nameTracks, type FaceVote, type TrackSpan } from './name-tracks.ts';
import { unknownPeople } from './unknown-people.ts';
import type { FaceTrack } from './tracker.ts';
import type { TrackKeyframe, VideoTrack } from '../types.ts';

/** A track is drawn a little before its first and after its last detection: half a typical gap, at most this. */
const MAX_EDGE_SECONDS = 0.25;
/** Neighbouring detections further apart than this are not averaged together. */
const SMOOTHING_WINDOW = 0.7;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function blend(a: Box, b: Box, c: Box): Box {
  return {
    x: 0.25 * a.x + 0.5 * b.x + 0.25 * c.x,
    y: 0.25 * a.y + 0.5 * b.y + 0.25 * c.y,
    width: 0.25 * a.width + 0.5 * b.width + 0.25 * c.width,
    height: 0.25 * a.height + 0.5 * b.height + 0.25 * c.height,
  };
}

/** Detector boxes jitter by a few pixels from one detection to the next: a light [¼ ½ ¼] smoothing steadies them. */
export function smoothKeyframes(keyframes: readonly TrackKeyframe[]): TrackKeyframe[] {
  return keyframes.map((keyframe, index) => {
    const before = keyframes[index - 1];
    const after = keyframes[index + 1];
    if (!before || !after || after.time - before.time > 2 * SMOOTHING_WINDOW) return keyframe;
    return { time: keyframe.time, box: blend(before.box, keyframe.box, after.box) };
  });
}

function medianGap(keyframes: readonly TrackKeyframe[]): number {
  const gaps = keyframes.slice(1).map((keyframe, index) => keyframe.time - (keyframes[index]?.time ?? keyframe.time)).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
}

function roundBox(box: Box): Box {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
}

/**
 * The span a track was on screen: its detections, widened by half a typical gap on each side; a track that a
 * scene cut ended lasts until the cut (sampling is sparse while a shot is calm, so its last detection can come
 * most of a second before it).
 */
function withEdges(keyframes: readonly TrackKeyframe[], durationSeconds: number, cutAt: number | undefined): TrackKeyframe[] {
  const first = keyframes[0];
  const last = keyframes.at(-1);
  if (!first || !last) return [];
  const edge = Math.min(MAX_EDGE_SECONDS, medianGap(keyframes) / 2);
  const from = Math.max(0, first.time - edge);
  const to = Math.min(durationSeconds, cutAt ?? last.time + edge);
  const inner = keyframes.map((keyframe) => ({ time: round(keyframe.time, 3), box: roundBox(keyframe.box) }));
  const head = from < first.time ? [{ time: round(from, 3), box: roundBox(first.box) }] : [];
  const tail = to > last.time ? [{ time: round(to, 3), box: roundBox(last.box) }] : [];
  return [...head, ...inner, ...tail];
}

/**
 * Turns followed faces into the answer: tracks seen only once are dropped (a detector's false alarm lasts one
 * frame), the rest are smoothed, widened to their on-screen span and named by their votes under the lineup rule.
 */
export function finishTracks(
  tracks: readonly FaceTrack[],
  votes: ReadonlyMap<number, FaceVote[]>,
  memberNames: readonly string[],
  durationSeconds: number,
  requiredConfidence: number,
  samePersonDistance: number,
): VideoTrack[] {
  const kept = tracks.filter((track) => track.keyframes.length >= 2);
  const shaped = kept.map((track) => ({ track, keyframes: withEdges(smoothKeyframes(track.keyframes), durationSeconds, track.cutAt) }));
  const spans: TrackSpan[] = shaped.map(({ track, keyframes }) => ({
    id: track.id,
    from: keyframes[0]?.time ?? 0,
    to: keyframes.at(-1)?.time ?? 0,
    votes: votes.get(track.id) ?? [],
  }));
  const names = nameTracks(spans, requiredConfidence);
  const unknown = spans.filter((span) => names.get(span.id)?.member === null);
  const people = unknownPeople(unknown.map((span) => ({ ...span, descriptors: span.votes.map((vote) => vote.descriptor) })), samePersonDistance);
  return shaped.map(({ track, keyframes }, index): VideoTrack => {
    const name = names.get(track.id);
    const span = spans[index];
    const person = people.get(track.id);
    return {
      ...(person === undefined ? {} : { unknownPerson: person }),
      id: track.id,
      name: name?.member === null || name === undefined ? null : memberNames[name.member] ?? null,
      confidence: round(name?.confidence ?? 0, 3),
      votes: span?.votes.length ?? 0,
      keyframes,
      from: span?.from ?? 0,
      to: span?.to ?? 0,
    };
  });
}
