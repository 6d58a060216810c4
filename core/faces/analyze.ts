import { faceapi, tf } from '../../models/face-api.ts';
import type { Box, DetectorKind, FaceObservation, Point } from '../types.ts';
import { chipGeometry, chipSharpness, extractChip, faceBoxGeometry, fromCropPixels, type ChipGeometry } from './align.ts';
import type { FaceEmbedder } from './embedder.ts';
import { cutFaceCrop, type FaceCrop } from './face-crop.ts';
import { warpChip } from './warp.ts';

/** What one worker is asked to do with one analysis raster. */
export interface AnalyzeRequest {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Multiply raster coordinates by this to get original-image coordinates. */
  scale: number;
  detector: DetectorKind;
  /** Also cut each face's levelled crop (what a sample keeps for re-embedding). */
  crops: boolean;
}

/** What a worker sends back: a face in original-image coordinates, with its crop when asked for. */
export interface AnalyzedFace extends FaceObservation {
  crop?: FaceCrop;
}

type Tensor3D = ReturnType<typeof tf.tensor3d>;

function detectorOptions(kind: DetectorKind): InstanceType<typeof faceapi.SsdMobilenetv1Options> | InstanceType<typeof faceapi.TinyFaceDetectorOptions> {
  return kind === 'accurate'
    ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 })
    : new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
}

/** The landmark net's input side, and the margin around the whole face for the second pass. */
export const LANDMARK_INPUT = 112;
const REFINE_PADDING = 0.05;

/**
 * A second landmark pass on an upright, landmark-centred crop: the first pass sees the detector's box, which is
 * loose and tilted with the head; the second sees a level face, which places the eyes and mouth better.
 */
export async function refineLandmarks(request: Pick<AnalyzeRequest, 'rgb' | 'width' | 'height'>, firstPass: Point[][]): Promise<Point[][]> {
  return landmarksInCrops(request, firstPass.map((landmarks) => faceBoxGeometry(landmarks, LANDMARK_INPUT, REFINE_PADDING)));
}

/** The share of a square crop's width and height, centred, that shows the picture (black around it). */
export interface VisibleShare {
  width: number;
  height: number;
}

/** Blacks out the crop outside its centred visible part, as face-api pads a detector box to a square. */
function blackOutside(crop: Float32Array, size: number, visible: VisibleShare): Float32Array {
  const left = Math.round((size * (1 - visible.width)) / 2);
  const top = Math.round((size * (1 - visible.height)) / 2);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (x >= left && x < size - left && y >= top && y < size - top) continue;
      crop.fill(0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    }
  }
  return crop;
}

/**
 * The landmark net on square crops cut from the raster with each geometry (black outside each crop's visible
 * share when given), positions back in raster pixels.
 */
export async function landmarksInCrops(raster: Pick<AnalyzeRequest, 'rgb' | 'width' | 'height'>, geometries: readonly ChipGeometry[], visible?: readonly VisibleShare[]): Promise<Point[][]> {
  if (geometries.length === 0) return [];
  const crops = geometries.map((geometry, index) => {
    const crop = extractChip(raster.rgb, raster.width, raster.height, geometry, LANDMARK_INPUT);
    const share = visible?.[index];
    return tf.tensor3d(share ? blackOutside(crop, LANDMARK_INPUT, share) : crop, [LANDMARK_INPUT, LANDMARK_INPUT, 3]);
  });
  try {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(crops);
    const landmarks = Array.isArray(result) ? result : [result];
    return landmarks.map((found, index) => {
      const geometry = geometries[index];
      if (!geometry) throw new Error('landmark batch came back short');
      return found.positions.map((point) => fromCropPixels(point, geometry, LANDMARK_INPUT));
    });
  } finally {
    for (const crop of crops) crop.dispose();
  }
}

function toOriginal(point: Point, scale: number): Point {
  return { x: point.x * scale, y: point.y * scale };
}

interface Detection {
  box: Box;
  score: number;
  landmarks: Point[];
}

/** Border added, as a fraction of the longer side, when a tight crop hides the face from the detector. */
const RETRY_BORDER = 0.3;
const BORDER_GREY = 128;

async function detectOnce(input: Tensor3D, detector: DetectorKind, offset: number): Promise<Detection[]> {
  const found = await faceapi.detectAllFaces(input, detectorOptions(detector)).withFaceLandmarks();
  return found.map(({ detection, landmarks }) => ({
    box: { x: detection.box.x - offset, y: detection.box.y - offset, width: detection.box.width, height: detection.box.height },
    score: detection.score,
    landmarks: landmarks.positions.map((point) => ({ x: point.x - offset, y: point.y - offset })),
  }));
}

/**
 * The SSD detector misses faces that fill the whole picture (avatars, tight crops): when it finds nothing,
 * look again with a grey border around the picture.
 */
async function detectFaces(request: AnalyzeRequest): Promise<Detection[]> {
  const input: Tensor3D = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    const found = await detectOnce(input, request.detector, 0);
    if (found.length > 0) return found;
    const border = Math.round(Math.max(request.width, request.height) * RETRY_BORDER);
    const padded = tf.pad(input, [[border, border], [border, border], [0, 0]], BORDER_GREY);
    try {
      return await detectOnce(padded, request.detector, border);
    } finally {
      padded.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** Descriptors of faces whose landmarks are known, in the raster's pixels (batched where the embedder allows). */
export async function describeFaces(raster: Pick<AnalyzeRequest, 'rgb' | 'width' | 'height'>, landmarkSets: readonly Point[][], embedder: FaceEmbedder): Promise<Float32Array[]> {
  const chips = landmarkSets.map((landmarks) => warpChip(raster.rgb, raster.width, raster.height, embedder.frame(landmarks), embedder.chipSize));
  return embedder.describe(chips);
}

/**
 * Detect every face, find its 68 landmarks (refined by a second, upright pass), describe it with the embedder,
 * and measure its sharpness on the levelled chip (the same measure whatever the embedder).
 */
export async function analyzeFaces(request: AnalyzeRequest, embedder: FaceEmbedder): Promise<AnalyzedFace[]> {
  const detections = await detectFaces(request);
  const landmarkSets = await refineLandmarks(request, detections.map((detection) => detection.landmarks));
  const descriptors = await describeFaces(request, landmarkSets, embedder);
  return detections.map((detection, index) => {
    const descriptor = descriptors[index];
    const landmarks = landmarkSets[index];
    if (!descriptor || !landmarks) throw new Error('descriptor batch came back short');
    const levelled = chipGeometry(landmarks);
    const face: AnalyzedFace = {
      box: clampBox(detection.box, request, request.scale),
      detectionScore: detection.score,
      landmarks: landmarks.map((point) => toOriginal(point, request.scale)),
      rollDegrees: (levelled.angle * 180) / Math.PI,
      sharpness: chipSharpness(extractChip(request.rgb, request.width, request.height, levelled)),
      descriptor,
    };
    if (request.crops) face.crop = cutFaceCrop(request.rgb, request.width, request.height, landmarks);
    return face;
  });
}

/** Boxes found with a border may reach past the picture: keep them inside, in original-image pixels. */
export function clampBox(box: Box, raster: { width: number; height: number }, scale: number): Box {
  const left = Math.max(0, box.x);
  const top = Math.max(0, box.y);
  const right = Math.min(raster.width, box.x + box.width);
  const bottom = Math.min(raster.height, box.y + box.height);
  return { x: left * scale, y: top * scale, width: Math.max(1, right - left) * scale, height: Math.max(1, bottom - top) * scale };
}

/**
 * The bare chain the benchmark compares identify against: face-api's detector and landmarks, then the
 * embedder's chip and descriptor (for dlib, face-api's own untouched withFaceDescriptors()).
 */
export async function analyzeFacesBare(request: AnalyzeRequest, embedder: FaceEmbedder): Promise<number> {
  const input: Tensor3D = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    const found = faceapi.detectAllFaces(input, detectorOptions(request.detector)).withFaceLandmarks();
    if (embedder.info.name === 'dlib') return (await found.withFaceDescriptors()).length;
    const faces = await found;
    await describeFaces(request, faces.map(({ landmarks }) => landmarks.positions), embedder);
    return faces.length;
  } finally {
    input.dispose();
  }
}
