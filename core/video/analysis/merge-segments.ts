import type { FaceVote } from './name-tracks.ts';
import { euclidean } from '../../classifier/vectors.ts';
import type { SegmentAnalysis } from './analyze-segment.ts';
import { iou } from '../../box.ts';
import type { FaceTrack } from './tracker.ts';

export interface MergedTracks {
  tracks: FaceTrack[];
  votes: Map<number, FaceVote[]>;
}

/** How far from a segment boundary a track may end (or start) and still continue across it. */
const BOUNDARY_REACH_SECONDS = 1.2;
const MIN_BOUNDARY_IOU = 0.2;

function sameFace(before: FaceTrack, after: FaceTrack, votes: ReadonlyMap<number, FaceVote[]>, samePersonDistance: number): number | undefined {
  const last = before.keyframes.at(-1);
  const first = after.keyframes[0];
  if (!last || !first) return undefined;
  const overlap = iou(last.box, first.box);
  if (overlap < MIN_BOUNDARY_IOU) return undefined;
  const lastLook = votes.get(before.id)?.at(-1)?.descriptor;
  const firstLook = votes.get(after.id)?.[0]?.descriptor;
  if (lastLook && firstLook && euclidean(lastLook, firstLook) > samePersonDistance) return undefined;
  return overlap;
}

/**
 * Joins the segments' tracks: a face on screen across a boundary was followed by both segments, and becomes
 * one track again when the two ends meet (overlapping boxes, and the same person where both were described).
 */
export function mergeSegments(segments: readonly SegmentAnalysis[], samePersonDistance: number): MergedTracks {
  const votes = new Map<number, FaceVote[]>();
  for (const segment of segments) for (const [id, list] of segment.votes) votes.set(id, [...list]);
  let open: FaceTrack[] = [];
  const tracks: FaceTrack[] = [];
  for (const segment of segments) {
    const arriving = segment.tracks.map((track) => ({ ...track, keyframes: [...track.keyframes] }));
    const joined = joinAcross(open, arriving, segment.start, votes, samePersonDistance);
    tracks.push(...arriving.filter((track) => !joined.has(track.id)));
    open = [...open.filter((track) => !track.ended), ...arriving.filter((track) => !joined.has(track.id))]
      .filter((track) => (track.keyframes.at(-1)?.time ?? -Infinity) >= segment.end - BOUNDARY_REACH_SECONDS);
  }
  return { tracks: tracks.sort((a, b) => (a.keyframes[0]?.time ?? 0) - (b.keyframes[0]?.time ?? 0)), votes };
}

/** Appends each arriving track that continues an open one to it (best overlap first); returns the ids consumed. */
function joinAcross(open: FaceTrack[], arriving: readonly FaceTrack[], boundary: number, votes: Map<number, FaceVote[]>, samePersonDistance: number): Set<number> {
  const pairs = open.flatMap((before) => arriving
    .filter((after) => (after.keyframes[0]?.time ?? Infinity) <= boundary + BOUNDARY_REACH_SECONDS)
    .flatMap((after) => {
      const score = sameFace(before, after, votes, samePersonDistance);
      return score === undefined ? [] : [{ before, after, score }];
    }))
    .sort((a, b) => b.score - a.score);
  const used = new Set<number>();
  const consumed = new Set<number>();
  for (const { before, after } of pairs) {
    if (used.has(before.id) || consumed.has(after.id)) continue;
    used.add(before.id);
    consumed.add(after.id);
    before.keyframes.push(...after.keyframes);
    before.ended = after.ended;
    if (after.cutAt === undefined) delete before.cutAt;
    else before.cutAt = after.cutAt;
    votes.set(before.id, [...(votes.get(before.id) ?? []), ...(votes.get(after.id) ?? [])]);
    votes.delete(after.id);
  }
  for (const track of open) if (!used.has(track.id)) track.ended = true;
  return consumed;
}
