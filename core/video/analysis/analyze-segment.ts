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
import { changedIdentity } from './track-identity.ts';

/** What every analysis of the clip shares, whole or in segments. */
export interface AnalysisSettings {
  engine: FaceEngine;
  model: LoadedGroupModel;
  requiredConfidence: number;
  decode: Omit<AnalysisDecode, 'onFrame' | 'range'>;
  /** Clip pixels per analysis pixel. */
  scale: number;
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
  /** Frames searched for small faces beyond the whole frame (all but close-ups, where it looks every SWEEP_SECONDS). */
  sweptFrames: number;
}

/** Faces shorter than this (analysis pixels) are tracked but not described: their descriptors are noise. */
const MIN_DESCRIBE_SIDE = 28;
/**
 * Descriptors of faces shorter than this (analysis pixels) vary too much from frame to frame to tell that a track
 * jumped to another person: a crowd's small faces would be cut into many short tracks.
 */
const MIN_SPLIT_SIDE = 56;
/** A track unseen for this long ends (it may come back as a new track). */
const MAX_GAP_SECONDS = 1.2;
/** A face at least this share of the frame's height makes a close-up. */
const CLOSE_UP_SHARE = 0.3;
/**
 * The small-face windows' height, as a share of the raster's shorter side: the whole frame finds faces from about a
 * tenth of its height up, windows two thirds as tall from a fifteenth (20 raster pixels, 40 px of a 1080p clip).
 */
const SMALL_FACE_WINDOW_SHARE = 2 / 3;
/** Beside a close-up, the windows still look this often (and after every cut) for faces the whole frame cannot show. */
const SWEEP_SECONDS = 2;

/**
 * Whether the small-face windows look, beyond the whole frame: on every frame but close-ups (small faces beside a
 * close-up are rare, and the windows cost several times the whole frame's run), where they look on a segment's
 * first frame, after a cut and every SWEEP_SECONDS.
 */
class WindowChoice {
  private lastSweep = -Infinity;
  private closeUp = false;

  constructor(private readonly windowHeight: number) {}

  window(time: number, cut: boolean): number | null {
    if (this.closeUp && !cut && time - this.lastSweep < SWEEP_SECONDS) return null;
    this.lastSweep = time;
    return this.windowHeight;
  }

  noteFaces(shares: readonly number[]): void {
    this.closeUp = shares.some((share) => share >= CLOSE_UP_SHARE);
  }
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
  const counts = { analysed: 0, described: 0, swept: 0 };
  const windows = new WindowChoice(SMALL_FACE_WINDOW_SHARE * Math.min(request.decode.width, request.decode.height));

  const onFrame = async (frame: AnalysisFrame): Promise<void> => {
    const time = request.start + frame.time;
    request.onProgress?.(frame.time);
    const decision = sampler.consider(time, frameSignature(frame.rgb, request.decode.width, request.decode.height));
    if (!decision.analyse) return;
    if (decision.softCut) plan.refreshAll();
    const describe = plan.wants(time);
    const smallFaceWindow = windows.window(time, decision.cut);
    counts.analysed += 1;
    if (describe) counts.described += 1;
    if (smallFaceWindow !== null) counts.swept += 1;
    const { faces, rgb } = await request.engine.analyzeFrame({
      rgb: frame.rgb, width: request.decode.width, height: request.decode.height, scale: request.scale, smallFaceWindow, describe, minDescribeSide: MIN_DESCRIBE_SIDE,
    });
    pool.give(rgb);
    windows.noteFaces(faces.map((face) => face.box.height / request.scale / request.decode.height));
    const step = tracker.observe(time, faces.map((face) => face.box), decision.cut);
    const frameVotes = voteFaces(request, faces);
    const trackIds = splitChangedFaces(tracker, faces, frameVotes, step.trackIds, votes, request.samePersonDistance, MIN_SPLIT_SIDE * request.scale);
    const splits = trackIds.filter((id, index) => id !== step.trackIds[index]);
    for (const id of splits) plan.noteSplit(id);
    sampler.noteStep(time, { ...step, created: step.created + splits.length });
    plan.noteTracks(trackIds.map((id) => ({ id, detections: tracker.detections(id) })));
    if (describe) plan.noteDescribed(trackIds, time);
    recordVotes(frameVotes, trackIds, votes, plan);
  };

  const decoded = await decodeAnalysisFrames({ ...request.decode, pool, range: { start: request.start, duration: request.end - request.start }, onFrame });
  return { start: request.start, end: request.end, tracks: tracker.all(), votes, decodedFrames: decoded.frames, analysedFrames: counts.analysed, describedFrames: counts.described, sweptFrames: counts.swept };
}

/**
 * Boxes alone follow a position, not a person: across a dissolve, a soft cut between two similar close-ups or a
 * dancer passing in front, a track can jump to another face. A detection starts a new track when its descriptor
 * is far from the track's last one, or when it is recognised as a member other than who the track's earlier
 * faces said it was.
 */
function splitChangedFaces(tracker: FaceTracker, faces: readonly FrameFace[], frameVotes: readonly (FaceVote | undefined)[], trackIds: readonly number[], votes: ReadonlyMap<number, FaceVote[]>, samePersonDistance: number, minSide: number): number[] {
  return trackIds.map((trackId, index) => {
    const face = faces[index];
    const history = votes.get(trackId) ?? [];
    if (changedIdentity(history, frameVotes[index])) return tracker.splitLatest(trackId);
    const descriptor = face && face.box.height >= minSide ? face.descriptor : null;
    const previous = history.at(-1)?.descriptor;
    if (!descriptor || !previous || euclidean(descriptor, previous) <= samePersonDistance) return trackId;
    return tracker.splitLatest(trackId);
  });
}

/** The frame's described faces are decided together (each member at most once in the frame): one vote per described face, by face index. */
function voteFaces(request: SegmentRequest, faces: readonly FrameFace[]): (FaceVote | undefined)[] {
  const described = faces.flatMap((face) => (face.descriptor ? [face.descriptor] : []));
  if (described.length === 0) return faces.map(() => undefined);
  const scores = described.map((descriptor) => scoreFace(request.model, descriptor));
  const decisions = decideFaces(request.model, scores, request.requiredConfidence);
  let position = 0;
  return faces.map((face) => {
    if (!face.descriptor) return undefined;
    const index = position;
    position += 1;
    return { member: decisions[index]?.member ?? null, confidences: scores[index]?.confidences ?? [], descriptor: face.descriptor };
  });
}

function recordVotes(frameVotes: readonly (FaceVote | undefined)[], trackIds: readonly number[], votes: Map<number, FaceVote[]>, plan: DescriptorPlan): void {
  frameVotes.forEach((vote, index) => {
    const trackId = trackIds[index];
    if (!vote || trackId === undefined) return;
    const list = votes.get(trackId) ?? [];
    list.push(vote);
    votes.set(trackId, list);
    plan.noteVote(trackId);
  });
}
