import type { Point } from '../types.ts';
import { warpChip, type Affine } from './warp.ts';

/** Side of the square face chip the dlib ResNet descriptor expects. */
export const CHIP_SIZE = 150;

export interface ChipGeometry {
  /** Centre of the chip in source pixels. */
  center: Point;
  /** Source pixels per chip pixel. */
  pixelSize: number;
  /** Rotation of the chip's x axis in the source, radians. */
  angle: number;
}

const LEFT_EYE = [36, 37, 38, 39, 40, 41] as const;
const RIGHT_EYE = [42, 43, 44, 45, 46, 47] as const;
/** Eyebrows, nose, eyes and mouth: the jaw line (0–16) is left out, it moves with pose and hair. */
const INNER_FACE_FIRST = 17;
/** Margin around the inner face on each side, as a fraction of its extent (dlib's chips use 0.25). */
const CHIP_PADDING = 0.25;
/**
 * The chip's centre sits this fraction of its side below the inner face's centre (towards the chin): dlib's
 * template frames the face lower than a plain box would. Measured on the shared photos: 0.04–0.06 best, 0 and
 * 0.08+ worse, upward shifts much worse.
 */
const CHIP_CENTRE_DROP = 0.05;

/** The mean of some of the landmarks, by index. */
export function landmarkMean(points: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const index of indices) {
    const point = points[index];
    if (!point) throw new Error(`landmark ${index} missing`);
    x += point.x;
    y += point.y;
  }
  return { x: x / indices.length, y: y / indices.length };
}

export function eyeCentres(landmarks: readonly Point[]): { left: Point; right: Point } {
  return { left: landmarkMean(landmarks, LEFT_EYE), right: landmarkMean(landmarks, RIGHT_EYE) };
}

/** Head roll from the eye line, radians; positive when the right eye (image right) is lower. */
export function rollAngle(landmarks: readonly Point[]): number {
  const { left, right } = eyeCentres(landmarks);
  return Math.atan2(right.y - left.y, right.x - left.x);
}

function rotateAbout(point: Point, pivot: Point, angle: number): Point {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = point.x - pivot.x;
  const dy = point.y - pivot.y;
  return { x: pivot.x + dx * cos - dy * sin, y: pivot.y + dx * sin + dy * cos };
}

/**
 * Where the levelled chip sits in the source: the inner-face landmarks, de-rotated, bounded by a square with
 * CHIP_PADDING on every side — the framing of dlib's face chips that the network was trained on.
 */
export function chipGeometry(landmarks: readonly Point[], padding: number = CHIP_PADDING): ChipGeometry {
  const angle = rollAngle(landmarks);
  const { left, right } = eyeCentres(landmarks);
  const pivot = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let index = INNER_FACE_FIRST; index < landmarks.length; index += 1) {
    const point = landmarks[index];
    if (!point) continue;
    const upright = rotateAbout(point, pivot, -angle);
    minX = Math.min(minX, upright.x);
    maxX = Math.max(maxX, upright.x);
    minY = Math.min(minY, upright.y);
    maxY = Math.max(maxY, upright.y);
  }
  const extent = Math.max(maxX - minX, maxY - minY) * (1 + 2 * padding);
  const uprightCenter = { x: (minX + maxX) / 2, y: (minY + maxY) / 2 + CHIP_CENTRE_DROP * extent };
  return { center: rotateAbout(uprightCenter, pivot, angle), pixelSize: extent / CHIP_SIZE, angle };
}

/** Chip pixels → source pixels (index coordinates) for a chip of `size` cut with `geometry`. */
export function geometryToAffine(geometry: ChipGeometry, size: number): Affine {
  const a = Math.cos(geometry.angle) * geometry.pixelSize;
  const c = Math.sin(geometry.angle) * geometry.pixelSize;
  const offset = 0.5 - size / 2;
  // Chip pixel u covers [u, u+1): its centre is u + 0.5 in continuous units; source indices are continuous − 0.5.
  return { a, b: -c, c, d: a, tx: geometry.center.x + offset * (a - c) - 0.5, ty: geometry.center.y + offset * (c + a) - 0.5 };
}

/** Samples the chip from a packed RGB raster with bilinear interpolation (black outside the image). */
export function extractChip(rgb: Uint8Array, width: number, height: number, geometry: ChipGeometry, size = CHIP_SIZE): Float32Array {
  return warpChip(rgb, width, height, geometryToAffine(geometry, size), size);
}

/** Maps a point given in a crop's own pixels (crop of `size`, cut with `geometry`) back to source pixels. */
export function fromCropPixels(point: Point, geometry: ChipGeometry, size: number): Point {
  const dx = (point.x - size / 2) * geometry.pixelSize;
  const dy = (point.y - size / 2) * geometry.pixelSize;
  const cos = Math.cos(geometry.angle);
  const sin = Math.sin(geometry.angle);
  return { x: geometry.center.x + dx * cos - dy * sin, y: geometry.center.y + dx * sin + dy * cos };
}

/** Maps a point in source pixels into the pixels of a crop of `size` cut with `geometry`. */
export function toCropPixels(point: Point, geometry: ChipGeometry, size: number): Point {
  const dx = point.x - geometry.center.x;
  const dy = point.y - geometry.center.y;
  const cos = Math.cos(geometry.angle);
  const sin = Math.sin(geometry.angle);
  return { x: (dx * cos + dy * sin) / geometry.pixelSize + size / 2, y: (-dx * sin + dy * cos) / geometry.pixelSize + size / 2 };
}

/** An upright square around the whole face (jaw included), for a second, better-posed landmark pass. */
export function faceBoxGeometry(landmarks: readonly Point[], size: number, padding: number): ChipGeometry {
  const angle = rollAngle(landmarks);
  const { left, right } = eyeCentres(landmarks);
  const pivot = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  const upright = landmarks.map((point) => rotateAbout(point, pivot, -angle));
  const xs = upright.map((point) => point.x);
  const ys = upright.map((point) => point.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const extent = Math.max(maxX - minX, maxY - minY) * (1 + 2 * padding);
  const center = rotateAbout({ x: (minX + maxX) / 2, y: (minY + maxY) / 2 }, pivot, angle);
  return { center, pixelSize: extent / size, angle };
}

/** Variance of the 4-neighbour Laplacian of the chip's luminance: a cheap, scale-stable blur measure. */
export function chipSharpness(chip: Float32Array): number {
  const size = CHIP_SIZE;
  const luma = new Float32Array(size * size);
  for (let index = 0; index < luma.length; index += 1) {
    luma[index] = 0.299 * (chip[index * 3] ?? 0) + 0.587 * (chip[index * 3 + 1] ?? 0) + 0.114 * (chip[index * 3 + 2] ?? 0);
  }
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  const margin = Math.round(size * 0.2);
  for (let y = margin; y < size - margin; y += 1) {
    for (let x = margin; x < size - margin; x += 1) {
      const at = y * size + x;
      const laplacian = 4 * (luma[at] ?? 0) - (luma[at - 1] ?? 0) - (luma[at + 1] ?? 0) - (luma[at - size] ?? 0) - (luma[at + size] ?? 0);
      sum += laplacian;
      sumSquares += laplacian * laplacian;
      count += 1;
    }
  }
  const average = sum / count;
  return sumSquares / count - average * average;
}
