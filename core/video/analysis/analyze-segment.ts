import { decideFaces, scoreFace, type LoadedGroupModel } from '../../classifier/index.ts';
import { euclidean } from '../../classifier/vectors.ts';
import type { FrameFace } from '../../faces/analyze-frame.ts';
import type { FaceEngine } from '../../faces/engine.ts';
import { analysisFramePool, decodeAnalysisFrames, type AnalysisDecode } from './decode-frames.ts';
import { DescriptorPlan } from './descriptor-plan.ts';
import type { AnalysisFrame } from './frame-reader.ts';
import type { FaceVote } from './name-tracks.ts';
import { FrameSampler, frameSignature } from './sampler.ts';
import { FaceTracker, type FaceTrack } from './tracker.ts';

/** What every analysis of the clip shares, whole or in segments. */
export interface AnalysisSettings {
  engine: FaceEngine;
  model: LoadedGroupModel;
  requiredConfidence: number;
  decode: Omit<AnalysisDecode, 'onFrame' | 'range'>;
  /** Clip pixels per analysis pixel. */
  scale: number;
  /** The fast detector's input side for faces neither close up nor far away. */
  detectorInput: number;
  /**
   * Consecutive descriptors of one track farther apart than this are two people (the embedder's profile): a
   * dissolve or a dancer passing in front.
   */
  samePersonDistance: number;
}

export interface SegmentRequest extends AnalysisSettings {
  /** The stretch of the clip this analysis covers, in seconds. */
  start: number;
  end: number;
  /** Track ids start here, so that tracks of different segments never share an id. */
  firstTrackId: number;
  onProgress?: (seconds: number) => void;
}

export interface SegmentAnalysis {
  start: number;
  end: number;
  tracks: readonly FaceTrack[];
  votes: ReadonlyMap<number, FaceVote[]>;
  decodedFrames: number;
  analysedFrames: number;
  describedFrames: number;
}

/** Faces shorter than this (analysis pixels) are tracked but not described: their descriptors are noise. */
const MIN_DESCRIBE_SIDE = 28;
/** A track unseen for this long ends (it may come back as a new track). */
const MAX_GAP_SECONDS = 1.2;
/** The tiny detector's input sides for close-ups and for wide shots, and the face heights (share of the frame) that make them. */
const CLOSE_UP_INPUT = 224;
const CLOSE_UP_SHARE = 0.3;
const WIDE_INPUT = 608;
const WIDE_SHARE = 0.12;

/**
 * The detector's anchors suit faces of one size relative to its input, so the input follows the picture: after a
 * close-up the small input comes first (cheaper, and it finds faces that fill the frame); after a wide shot with
 * small faces the large one (three times slower, and it finds faces a fifth the size, mostly too small to name);
 * otherwise, and after a frame without faces, the regular one. When the first finds nothing, the small one looks
 * for a close-up.
 */
function detectorInputs(regular: number, largestShare: number): number[] {
  if (largestShare >= CLOSE_UP_SHARE) return [CLOSE_UP_INPUT, regular];
  if (largestShare > 0 && largestShare < WIDE_SHARE) return [Math.max(regular, WIDE_INPUT), CLOSE_UP_INPUT];
  return [regular, CLOSE_UP_INPUT];
}


/**
 * One stretch of the clip, frame by frame in order: each sampled frame's faces are back before the next
 * sampling decision, so detection speeds up as soon as something changes. (Parallelism comes from running
 * several segments at once.)
 */
export async function analyzeSegment(request: SegmentRequest): Promise<SegmentAnalysis> {
  const tracker = new FaceTracker({ maxGapSeconds: MAX_GAP_SECONDS, firstId: request.firstTrackId });
  const sampler = new FrameSampler();
  const plan = new DescriptorPlan();
  const votes = new Map<number, FaceVote[]>();
  const pool = analysisFramePool(request.decode);
  const counts = { analysed: 0, described: 0 };
  let largestShare = 0;

  const onFrame = async (frame: AnalysisFrame): Promise<void> => {
    const time = request.start + frame.time;
    request.onProgress?.(frame.time);
    const decision = sampler.consider(time, frameSignature(frame.rgb, request.decode.width, request.decode.height));
    if (!decision.analyse) return;
    const describe = plan.wants(time);
    counts.analysed += 1;
    if (describe) counts.described += 1;
    const { faces, rgb } = await request.engine.analyzeFrame({
      rgb: frame.rgb, width: request.decode.width, height: request.decode.height, scale: request.scale,
      detectorInputs: detectorInputs(request.detectorInput, largestShare), describe, minDescribeSide: MIN_DESCRIBE_SIDE,
    });
    pool.give(rgb);
    largestShare = Math.max(0, ...faces.map((face) => face.box.height / request.scale / request.decode.height));
    const step = tracker.observe(time, faces.map((face) => face.box), decision.cut);
    sampler.noteStep(time, step);
    const trackIds = splitChangedFaces(tracker, faces, step.trackIds, votes, request.samePersonDistance);
    plan.noteTracks(trackIds.map((id) => ({ id, detections: tracker.detections(id) })));
    if (describe) plan.noteDescribed(trackIds, time);
    recordVotes(request, faces, trackIds, votes, plan);
  };

  const decoded = await decodeAnalysisFrames({ ...request.decode, pool, range: { start: request.start, duration: request.end - request.start }, onFrame });
  return { start: request.start, end: request.end, tracks: tracker.all(), votes, decodedFrames: decoded.frames, analysedFrames: counts.analysed, describedFrames: counts.described };
}

/**
 * Boxes alone follow a position, not a person: across a dissolve or a dancer passing in front, a track can jump
 * to another face. When a new descriptor is far from the track's last one, that detection starts a new track.
 */
function splitChangedFaces(tracker: FaceTracker, faces: readonly FrameFace[], trackIds: readonly number[], votes: ReadonlyMap<number, FaceVote[]>, samePersonDistance: number): number[] {
  return trackIds.map((trackId, index) => {
    const descriptor = faces[index]?.descriptor;
    const previous = votes.get(trackId)?.at(-1)?.descriptor;
    if (!descriptor || !previous || euclidean(descriptor, previous) <= samePersonDistance) return trackId;
    return tracker.splitLatest(trackId);
  });
}

/** The frame's described faces are decided together (each member at most once in the frame), one vote each. */
function recordVotes(request: SegmentRequest, faces: readonly FrameFace[], trackIds: readonly number[], votes: Map<number, FaceVote[]>, plan: DescriptorPlan): void {
  const described = faces.flatMap((face, index) => (face.descriptor ? [{ descriptor: face.descriptor, trackId: trackIds[index] }] : []));
  if (described.length === 0) return;
  const scores = described.map((face) => scoreFace(request.model, face.descriptor));
  const decisions = decideFaces(request.model, scores, request.requiredConfidence);
  described.forEach((face, index) => {
    if (face.trackId === undefined) return;
    const vote: FaceVote = { member: decisions[index]?.member ?? null, confidences: scores[index]?.confidences ?? [], descriptor: face.descriptor };
    const list = votes.get(face.trackId) ?? [];
    list.push(vote);
    votes.set(face.trackId, list);
    plan.noteVote(face.trackId);
  });
}
