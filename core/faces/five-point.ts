import type { Point } from '../types.ts';
import { landmarkMean } from './align.ts';
import { invertAffine, type Affine } from './warp.ts';

/** Side of the ArcFace chip, and where its five points sit (insightface's 112×112 template). */
export const ARCFACE_CHIP_SIZE = 112;
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/** The 68 iBUG landmarks (0-based) each of the five points is the mean of: eyes, nose tip, mouth corners. */
const FIVE_POINT_SOURCES: readonly (readonly number[])[] = [
  [37, 38, 40, 41],
  [43, 44, 46, 47],
  [30],
  [48, 60],
  [54, 64],
];

export function fivePoints(landmarks: readonly Point[]): Point[] {
  return FIVE_POINT_SOURCES.map((indices) => landmarkMean(landmarks, indices));
}

/**
 * The least-squares similarity (rotation, uniform scale, translation; never a reflection) taking `from` onto
 * `to`: Umeyama's estimate, which in 2-D has a closed form.
 */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Affine {
  const count = Math.min(from.length, to.length);
  if (count < 2) throw new Error('a similarity needs at least two point pairs');
  const fromMean = meanPoint(from, count);
  const toMean = meanPoint(to, count);
  let dotSum = 0;
  let crossSum = 0;
  let spread = 0;
  for (let index = 0; index < count; index += 1) {
    const p = from[index] as Point;
    const q = to[index] as Point;
    const px = p.x - fromMean.x;
    const py = p.y - fromMean.y;
    const qx = q.x - toMean.x;
    const qy = q.y - toMean.y;
    dotSum += px * qx + py * qy;
    crossSum += px * qy - py * qx;
    spread += px * px + py * py;
  }
  if (spread < 1e-12) throw new Error('the face points coincide');
  // scale·cos θ and scale·sin θ of the best rotation and scale.
  const a = dotSum / spread;
  const b = crossSum / spread;
  return { a, b: -b, c: b, d: a, tx: toMean.x - (a * fromMean.x - b * fromMean.y), ty: toMean.y - (b * fromMean.x + a * fromMean.y) };
}

function meanPoint(points: readonly Point[], count: number): Point {
  let x = 0;
  let y = 0;
  for (let index = 0; index < count; index += 1) {
    x += (points[index] as Point).x;
    y += (points[index] as Point).y;
  }
  return { x: x / count, y: y / count };
}

/** Chip pixels → source pixels for the ArcFace chip of a face with these 68 landmarks. */
export function arcfaceChipToSource(landmarks: readonly Point[]): Affine {
  return invertAffine(similarityTransform(fivePoints(landmarks), ARCFACE_TEMPLATE));
}
