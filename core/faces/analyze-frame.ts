import { faceapi, tf } from '../../models/face-api.ts';
import { loadAccurateDetector } from '../../models/face-nets.ts';
import { scaleBox } from '../box.ts';
import type { Box } from '../types.ts';
import type { ChipGeometry } from './align.ts';
import { clampBox, describeFaces, LANDMARK_INPUT, landmarksInCrops, refineLandmarks, type VisibleShare } from './analyze.ts';
import type { FaceEmbedder } from './embedder.ts';
import { letterbox } from './letterbox.ts';

/** One video frame's raster and what to do with it. */
export interface FrameRequest {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Multiply raster coordinates by this to get the upright clip's coordinates. */
  scale: number;
  /**
   * The fast detector's input sides (multiples of 32), tried in order until one finds a face: larger finds
   * smaller faces and is slower; close-ups that fill the frame need a small one.
   */
  detectorInputs: readonly number[];
  /**
   * When the accurate detector (SSD) looks: it finds faces down to about 20 raster pixels, which the fast one
   * misses (wide stage shots, crowds), at several times its cost, and misses faces that fill the frame.
   * `first`: before the fast one, which looks only when it finds nothing; `unless-close-up`: after the fast one,
   * when that found no face at least `closeUpSide` raster pixels tall; `never`.
   */
  accurate: 'first' | 'unless-close-up' | 'never';
  closeUpSide: number;
  /** Compute descriptors for faces at least `minDescribeSide` raster pixels tall. */
  describe: boolean;
  minDescribeSide: number;
}

export interface FrameFace {
  box: Box;
  score: number;
  /** Null when not asked for, or the face was too small to describe. */
  descriptor: Float32Array | null;
}

const SCORE_THRESHOLD = 0.4;
/**
 * The accurate detector's threshold, a little under the photos' 0.5: a face missed on one frame leaves a gap in its
 * track, and a false alarm on one frame is dropped with the tracks seen only once.
 */
const ACCURATE_MIN_CONFIDENCE = 0.4;

interface Detected {
  /** In raster pixels. */
  box: Box;
  score: number;
}

async function detectAt(request: FrameRequest, inputSize: number): Promise<Detected[]> {
  const { pixels, rasterPixelsPerPixel: factor } = letterbox(request.rgb, request.width, request.height, inputSize);
  const tensor = tf.tensor3d(pixels, [inputSize, inputSize, 3]);
  try {
    const found = await faceapi.detectAllFaces(tensor, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: SCORE_THRESHOLD }));
    return found.map(({ box, score }) => ({ box: scaleBox(box, factor), score }));
  } finally {
    tensor.dispose();
  }
}

async function detectAccurately(request: FrameRequest): Promise<Detected[]> {
  await loadAccurateDetector();
  const tensor = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    const found = await faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: ACCURATE_MIN_CONFIDENCE, maxResults: 100 }));
    return found.map(({ box, score }) => ({ box: { x: box.x, y: box.y, width: box.width, height: box.height }, score }));
  } finally {
    tensor.dispose();
  }
}

async function detectFast(request: FrameRequest): Promise<Detected[]> {
  for (const inputSize of request.detectorInputs) {
    const found = await detectAt(request, inputSize);
    if (found.length > 0) return found;
  }
  return [];
}

/** The fast detector at each asked input size in turn until one finds a face, with the accurate one as asked. */
async function detectWithFallback(request: FrameRequest): Promise<Detected[]> {
  if (request.accurate === 'first') {
    const found = await detectAccurately(request);
    if (found.length > 0) return found;
    return detectFast(request);
  }
  const fast = await detectFast(request);
  if (request.accurate === 'never' || fast.some((face) => face.box.height >= request.closeUpSide)) return fast;
  const accurate = await detectAccurately(request);
  return accurate.length > 0 ? accurate : fast;
}

/** face-api's first landmark pass sees the detector's box, black-padded to a square: so does ours. */
function boxGeometry(box: Box): ChipGeometry {
  return { center: { x: box.x + box.width / 2, y: box.y + box.height / 2 }, pixelSize: Math.max(box.width, box.height) / LANDMARK_INPUT, angle: 0 };
}

function boxShare(box: Box): VisibleShare {
  const side = Math.max(box.width, box.height);
  return { width: box.width / side, height: box.height / side };
}

/**
 * Video analysis of one frame: the fast detector always; landmarks and the embedder's descriptor only when
 * asked (the caller spaces descriptors out per track), for faces big enough to describe.
 */
export async function analyzeVideoFrame(request: FrameRequest, embedder: FaceEmbedder): Promise<FrameFace[]> {
  const found = await detectWithFallback(request);
  const faces: FrameFace[] = found.map((face) => ({ box: clampBox(face.box, request, request.scale), score: face.score, descriptor: null }));
  if (!request.describe) return faces;
  const describable = found.flatMap((face, index) => (face.box.height >= request.minDescribeSide ? [{ index, box: face.box }] : []));
  if (describable.length === 0) return faces;
  const firstPass = await landmarksInCrops(request, describable.map((face) => boxGeometry(face.box)), describable.map((face) => boxShare(face.box)));
  const descriptors = await describeFaces(request, await refineLandmarks(request, firstPass), embedder);
  describable.forEach((face, position) => {
    const target = faces[face.index];
    const descriptor = descriptors[position];
    if (target && descriptor) target.descriptor = descriptor;
  });
  return faces;
}
