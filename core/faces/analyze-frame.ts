import { faceapi, tf } from '../../models/face-api.ts';
import type { Box } from '../types.ts';
import { extractChip } from './align.ts';
import { clampBox, refineLandmarks } from './analyze.ts';
import { dlibEmbedder } from './embedder.ts';
import type { AlignmentMode } from './align.ts';

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
  /** Compute descriptors for faces at least `minDescribeSide` raster pixels tall. */
  describe: boolean;
  minDescribeSide: number;
  alignment: AlignmentMode;
}

export interface FrameFace {
  box: Box;
  score: number;
  /** Null when not asked for, or the face was too small to describe. */
  descriptor: Float32Array | null;
}

const SCORE_THRESHOLD = 0.4;

type Detected = { detection: { box: Box; score: number }; landmarks: { positions: { x: number; y: number }[] } | null };

async function detectAt(input: Parameters<typeof faceapi.detectAllFaces>[0], inputSize: number, withLandmarks: boolean): Promise<Detected[]> {
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: SCORE_THRESHOLD });
  if (withLandmarks) return faceapi.detectAllFaces(input, options).withFaceLandmarks();
  return (await faceapi.detectAllFaces(input, options)).map((detection) => ({ detection, landmarks: null }));
}

/** The fast detector at each asked input size in turn, until one finds a face. */
async function detectWithFallback(request: FrameRequest): Promise<Detected[]> {
  const input = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    for (const inputSize of request.detectorInputs) {
      const found = await detectAt(input, inputSize, request.describe);
      if (found.length > 0) return found;
    }
    return [];
  } finally {
    input.dispose();
  }
}

/**
 * Video analysis of one frame: the fast detector and the first landmark pass always; the levelled chip and its
 * descriptor only when asked (the caller spaces descriptors out per track), for faces big enough to describe.
 */
export async function analyzeVideoFrame(request: FrameRequest): Promise<FrameFace[]> {
  const found = await detectWithFallback(request);
  const faces: FrameFace[] = found.map(({ detection }) => ({
    box: clampBox(detection.box, request, request.scale),
    score: detection.score,
    descriptor: null,
  }));
  if (!request.describe) return faces;
  const describable = found.flatMap((face, index) => (face.landmarks && face.detection.box.height >= request.minDescribeSide ? [{ index, landmarks: face.landmarks.positions }] : []));
  if (describable.length === 0) return faces;
  const embedder = dlibEmbedder({ alignment: request.alignment, flip: false });
  const firstPass = describable.map((face) => face.landmarks.map((point) => ({ x: point.x, y: point.y })));
  const landmarkSets = embedder.refinesLandmarks ? await refineLandmarks(request, firstPass) : firstPass;
  const chips = landmarkSets.map((landmarks) => extractChip(request.rgb, request.width, request.height, embedder.frame(landmarks), false, embedder.chipSize));
  const descriptors = await embedder.describe(chips);
  describable.forEach((face, position) => {
    const target = faces[face.index];
    const descriptor = descriptors[position];
    if (target && descriptor) target.descriptor = descriptor;
  });
  return faces;
}
