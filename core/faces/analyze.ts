import { faceapi, tf } from '../../models/face-api.ts';
import type { DetectorKind, FaceObservation, Point } from '../types.ts';
import { chipGeometry, chipSharpness, CHIP_SIZE, extractChip, type AlignmentMode } from './align.ts';

/** What one worker is asked to do with one analysis raster. */
export interface AnalyzeRequest {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Multiply raster coordinates by this to get original-image coordinates. */
  scale: number;
  detector: DetectorKind;
  alignment: AlignmentMode;
  flip: boolean;
}

/** What a worker sends back: a face in original-image coordinates. */
export type AnalyzedFace = FaceObservation;

type Tensor3D = ReturnType<typeof tf.tensor3d>;

function detectorOptions(kind: DetectorKind): InstanceType<typeof faceapi.SsdMobilenetv1Options> | InstanceType<typeof faceapi.TinyFaceDetectorOptions> {
  return kind === 'accurate'
    ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 })
    : new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
}

async function describe(chips: Float32Array[]): Promise<Float32Array[]> {
  if (chips.length === 0) return [];
  const tensors = chips.map((chip) => tf.tensor3d(chip, [CHIP_SIZE, CHIP_SIZE, 3]));
  try {
    const result = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors);
    return Array.isArray(result) ? result : [result];
  } finally {
    for (const tensor of tensors) tensor.dispose();
  }
}

function averageDescriptors(first: Float32Array, second: Float32Array): Float32Array {
  const averaged = new Float32Array(first.length);
  for (let index = 0; index < first.length; index += 1) {
    averaged[index] = ((first[index] ?? 0) + (second[index] ?? 0)) / 2;
  }
  return averaged;
}

function toOriginal(point: Point, scale: number): Point {
  return { x: point.x * scale, y: point.y * scale };
}

/** Detect every face, find its 68 landmarks, cut an aligned chip and compute its descriptor (batched). */
export async function analyzeFaces(request: AnalyzeRequest): Promise<AnalyzedFace[]> {
  const input: Tensor3D = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    const detections = await faceapi.detectAllFaces(input, detectorOptions(request.detector)).withFaceLandmarks();
    const geometries = detections.map((detection) => chipGeometry(detection.landmarks.positions, request.alignment));
    const chips = geometries.map((geometry) => extractChip(request.rgb, request.width, request.height, geometry));
    const mirrored = request.flip
      ? geometries.map((geometry) => extractChip(request.rgb, request.width, request.height, geometry, true))
      : [];
    const descriptors = await describe([...chips, ...mirrored]);
    return detections.map((detection, index) => {
      const descriptor = descriptors[index];
      const mirror = descriptors[chips.length + index];
      const chip = chips[index];
      const geometry = geometries[index];
      if (!descriptor || !chip || !geometry) throw new Error('descriptor batch came back short');
      const { box } = detection.detection;
      return {
        box: { x: box.x * request.scale, y: box.y * request.scale, width: box.width * request.scale, height: box.height * request.scale },
        detectionScore: detection.detection.score,
        landmarks: detection.landmarks.positions.map((point) => toOriginal(point, request.scale)),
        rollDegrees: (geometry.angle * 180) / Math.PI,
        sharpness: chipSharpness(chip),
        descriptor: mirror ? averageDescriptors(descriptor, mirror) : descriptor,
      };
    });
  } finally {
    input.dispose();
  }
}

/** face-api's own detector + landmarks + descriptor chain, untouched: the baseline the benchmark compares against. */
export async function analyzeFacesBare(request: AnalyzeRequest): Promise<number> {
  const input: Tensor3D = tf.tensor3d(request.rgb, [request.height, request.width, 3], 'int32');
  try {
    const results = await faceapi.detectAllFaces(input, detectorOptions(request.detector)).withFaceLandmarks().withFaceDescriptors();
    return results.length;
  } finally {
    input.dispose();
  }
}
