import type { Point } from '../types.ts';

/**
 * A 2-D affine map `p ↦ (a·x + b·y + tx, c·x + d·y + ty)`. Chips are cut with the map from chip pixels to source
 * pixels, both in index coordinates (pixel (u, v) is the point (u, v), as OpenCV's warpAffine counts them).
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

export function applyAffine(map: Affine, point: Point): Point {
  return { x: map.a * point.x + map.b * point.y + map.tx, y: map.c * point.x + map.d * point.y + map.ty };
}

export function invertAffine(map: Affine): Affine {
  const determinant = map.a * map.d - map.b * map.c;
  if (Math.abs(determinant) < 1e-12) throw new Error('the face transform is degenerate');
  const a = map.d / determinant;
  const b = -map.b / determinant;
  const c = -map.c / determinant;
  const d = map.a / determinant;
  return { a, b, c, d, tx: -(a * map.tx + b * map.ty), ty: -(c * map.tx + d * map.ty) };
}

/**
 * Samples a `size`×`size` chip from a packed RGB raster: chip pixel (u, v) takes the bilinear value at
 * `chipToSource(u, v)`, black outside the raster.
 */
export function warpChip(rgb: Uint8Array, width: number, height: number, chipToSource: Affine, size: number): Float32Array {
  const chip = new Float32Array(size * size * 3);
  const { a, b, c, d, tx, ty } = chipToSource;
  for (let v = 0; v < size; v += 1) {
    for (let u = 0; u < size; u += 1) {
      sampleBilinear(rgb, width, height, a * u + b * v + tx, c * u + d * v + ty, chip, (v * size + u) * 3);
    }
  }
  return chip;
}

function sampleBilinear(rgb: Uint8Array, width: number, height: number, x: number, y: number, out: Float32Array, at: number): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  for (let channel = 0; channel < 3; channel += 1) {
    const p00 = pixel(rgb, width, height, x0, y0, channel);
    const p10 = pixel(rgb, width, height, x0 + 1, y0, channel);
    const p01 = pixel(rgb, width, height, x0, y0 + 1, channel);
    const p11 = pixel(rgb, width, height, x0 + 1, y0 + 1, channel);
    out[at + channel] = (p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy;
  }
}

function pixel(rgb: Uint8Array, width: number, height: number, x: number, y: number, channel: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return rgb[(y * width + x) * 3 + channel] ?? 0;
}
