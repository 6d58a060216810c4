import { hungarian } from '../../classifier/lineup.ts';
import { iou } from '../../box.ts';
import type { Box } from '../../types.ts';
import type { TrackKeyframe } from '../types.ts';

/** A face followed from detection to detection. */
export interface FaceTrack {
  id: number;
  keyframes: TrackKeyframe[];
  /** Set when the track can no longer be extended (lost for too long, or a scene cut). */
  ended: boolean;
  /** The scene cut that ended it, when one did: the face was most likely on screen until then. */
  cutAt?: number;
}

export interface TrackerOptions {
  /** A track not seen for longer than this ends. */
  maxGapSeconds: number;
  /** The first track's id (default 1). */
  firstId?: number;
}

/** What one detection step changed: which track each box went to, and whether to look again sooner. */
export interface TrackStep {
  trackIds: number[];
  created: number;
  lost: number;
  /** The largest movement of a matched face, in box heights per second. */
  fastestMotion: number;
}

function centre(box: Box): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Where the face should be now if it kept moving as between its last two detections (at most one second ahead). */
function predict(track: FaceTrack, time: number): Box {
  const last = track.keyframes.at(-1);
  const previous = track.keyframes.at(-2);
  if (!last) throw new Error('track without keyframes');
  if (!previous || last.time <= previous.time) return last.box;
  const ahead = Math.min(time - last.time, 1) / (last.time - previous.time);
  return { ...last.box, x: last.box.x + (last.box.x - previous.box.x) * ahead, y: last.box.y + (last.box.y - previous.box.y) * ahead };
}

/**
 * How far (box heights per second) a face seen only once may have moved: someone crossing close to the camera
 * moves about 8, so that a face seen once at sparse sampling would otherwise start a new track at every sample
 * (each seen once, and dropped as a false alarm).
 */
const FIRST_STEP_SPEED = 8;

/**
 * How unlike a detection is to a track's predicted box (0 best). Overlap decides; when a fast move leaves
 * little overlap, a near centre and a similar size still match: within a box height of where the track's motion
 * predicts, or, for a track seen once (no motion yet), as far as a fast walker goes in the time since.
 */
function matchCost(predicted: Box, detection: Box, reach: number): number {
  const overlap = iou(predicted, detection);
  if (overlap >= 0.25) return 1 - overlap;
  const a = centre(predicted);
  const b = centre(detection);
  const size = Math.max(predicted.height, detection.height);
  const distance = Math.hypot(a.x - b.x, a.y - b.y) / size;
  const ratio = detection.height / predicted.height;
  if (distance < reach && ratio > 0.67 && ratio < 1.5) return 0.75 + (distance / reach) * 0.2;
  return Infinity;
}

/** Box heights a detection may be from the predicted box and still continue the track. */
function reachOf(track: FaceTrack, time: number): number {
  const last = track.keyframes.at(-1);
  if (track.keyframes.length !== 1 || !last) return 1;
  return Math.max(1, FIRST_STEP_SPEED * (time - last.time));
}

const UNMATCHED_COST = 1;

/** Follows faces between detections: the best joint matching of detections to predicted boxes. */
export class FaceTracker {
  private readonly tracks: FaceTrack[] = [];
  private nextId: number;

  constructor(private readonly options: TrackerOptions) {
    this.nextId = options.firstId ?? 1;
  }

  observe(time: number, boxes: readonly Box[], sceneCut: boolean): TrackStep {
    let lost = 0;
    for (const track of this.active()) {
      const last = track.keyframes.at(-1);
      if (sceneCut || (last && time - last.time > this.options.maxGapSeconds)) {
        track.ended = true;
        if (sceneCut && last && time - last.time <= this.options.maxGapSeconds) track.cutAt = time;
        lost += 1;
      }
    }
    const active = this.active();
    const assignment = this.assign(active, boxes, time);
    let created = 0;
    let fastestMotion = 0;
    const trackIds = boxes.map((box, index) => {
      const track = assignment[index];
      if (track) {
        fastestMotion = Math.max(fastestMotion, motion(track, box, time));
        track.keyframes.push({ time, box });
        return track.id;
      }
      created += 1;
      const fresh: FaceTrack = { id: this.nextId++, keyframes: [{ time, box }], ended: false };
      this.tracks.push(fresh);
      return fresh.id;
    });
    const matched = new Set(assignment.filter((track): track is FaceTrack => track !== undefined));
    lost += active.filter((track) => !matched.has(track)).length;
    return { trackIds, created, lost, fastestMotion };
  }

  /**
   * The face on `trackId`'s latest detection turned out to be someone else (its descriptor says so): that
   * detection starts a new track, and the old one ends where it was last really seen.
   */
  splitLatest(trackId: number): number {
    const track = this.tracks.find((candidate) => candidate.id === trackId);
    const latest = track?.keyframes.at(-1);
    if (!track || !latest || track.keyframes.length < 2) return trackId;
    track.keyframes.pop();
    track.ended = true;
    const fresh: FaceTrack = { id: this.nextId++, keyframes: [latest], ended: false };
    this.tracks.push(fresh);
    return fresh.id;
  }

  /** How many detections a track has so far (0 for an unknown id). */
  detections(trackId: number): number {
    return this.tracks.find((track) => track.id === trackId)?.keyframes.length ?? 0;
  }

  /** Every track, in the order they started. */
  all(): readonly FaceTrack[] {
    return this.tracks;
  }

  private active(): FaceTrack[] {
    return this.tracks.filter((track) => !track.ended);
  }

  private assign(active: readonly FaceTrack[], boxes: readonly Box[], time: number): (FaceTrack | undefined)[] {
    if (active.length === 0 || boxes.length === 0) return boxes.map(() => undefined);
    const predicted = active.map((track) => predict(track, time));
    const size = boxes.length + active.length;
    const cost = Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => {
      if (row >= boxes.length || column >= active.length) return UNMATCHED_COST;
      const box = boxes[row];
      const guess = predicted[column];
      const track = active[column];
      const value = box && guess && track ? matchCost(guess, box, reachOf(track, time)) : Infinity;
      return Number.isFinite(value) && value < UNMATCHED_COST ? value : UNMATCHED_COST * 10;
    }));
    const columns = hungarian(cost);
    return boxes.map((_, row) => {
      const column = columns[row] ?? -1;
      const value = cost[row]?.[column] ?? Infinity;
      return column >= 0 && column < active.length && value < UNMATCHED_COST ? active[column] : undefined;
    });
  }
}

function motion(track: FaceTrack, box: Box, time: number): number {
  const last = track.keyframes.at(-1);
  if (!last || time <= last.time) return 0;
  const a = centre(last.box);
  const b = centre(box);
  return Math.hypot(a.x - b.x, a.y - b.y) / Math.max(1, box.height) / (time - last.time);
}
