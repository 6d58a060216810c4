import type { Box } from '../types.ts';
import type { ChipGeometry } from './align.ts';
import { clampBox, describeFaces, LANDMARK_INPUT, landmarksInCrops, refineLandmarks, type VisibleShare } from './analyze.ts';
import type { ClipDetector } from './clip-detector.ts';
import type { FaceEmbedder } from './embedder.ts';

/** One video frame's raster and what to do with it. */
export interface FrameRequest {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Multiply raster coordinates by this to get the upright clip's coordinates. */
  scale: number;
  /**
   * Windows this tall (raster pixels) searched for small faces, beyond the whole frame (which finds faces from
   * about a tenth of its height up); null for the whole frame only (a close-up).
   */
  smallFaceWindow: number | null;
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

/** face-api's first landmark pass sees the detector's box, black-padded to a square: so does ours. */
function boxGeometry(box: Box): ChipGeometry {
  return { center: { x: box.x + box.width / 2, y: box.y + box.height / 2 }, pixelSize: Math.max(box.width, box.height) / LANDMARK_INPUT, angle: 0 };
}

function boxShare(box: Box): VisibleShare {
  const side = Math.max(box.width, box.height);
  return { width: box.width / side, height: box.height / side };
}

/**
 * Video analysis of one frame: the clip detector always; landmarks and the embedder's descriptor only when
 * asked (the caller spaces descriptors out per track), for faces big enough to describe.
 */
export async function analyzeVideoFrame(request: FrameRequest, embedder: FaceEmbedder, detector: ClipDetector): Promise<FrameFace[]> {
  const found = await detector.detect(request.rgb, request.width, request.height, request.smallFaceWindow ?? undefined);
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
