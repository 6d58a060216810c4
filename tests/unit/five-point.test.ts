/**
 * The ArcFace chip: five points from the 68 landmarks, a least-squares similarity onto insightface's template
 * (never a reflection), and the chip sampled through its inverse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARCFACE_CHIP_SIZE, ARCFACE_TEMPLATE, arcfaceChipToSource, fivePoints, similarityTransform } from '../../core/faces/five-point.ts';
import { applyAffine, invertAffine, warpChip, type Affine } from '../../core/faces/warp.ts';
import type { Point } from '../../core/types.ts';

/** 68 landmarks whose five derived points are exactly `five` (each group of landmarks sits on its point). */
function landmarksWithFivePoints(five: readonly Point[]): Point[] {
  const landmarks: Point[] = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  const place = (indices: number[], point: Point | undefined): void => {
    for (const index of indices) landmarks[index] = { ...(point as Point) };
  };
  place([37, 38, 40, 41], five[0]);
  place([43, 44, 46, 47], five[1]);
  place([30], five[2]);
  place([48, 60], five[3]);
  place([54, 64], five[4]);
  return landmarks;
}

/** The template moved by a known similarity: scale, rotation, shift. */
function placedTemplate(scale: number, degrees: number, shift: Point): Point[] {
  const angle = (degrees * Math.PI) / 180;
  return ARCFACE_TEMPLATE.map((point) => ({
    x: scale * (Math.cos(angle) * point.x - Math.sin(angle) * point.y) + shift.x,
    y: scale * (Math.sin(angle) * point.x + Math.cos(angle) * point.y) + shift.y,
  }));
}

const determinant = (map: Affine): number => map.a * map.d - map.b * map.c;

describe('five-point alignment', () => {
  it('takes the eyes, nose tip and mouth corners from the 68 landmarks', () => {
    const landmarks: Point[] = Array.from({ length: 68 }, (_, index) => ({ x: index, y: 2 * index }));
    assert.deepEqual(fivePoints(landmarks), [
      { x: 39, y: 78 }, { x: 45, y: 90 }, { x: 30, y: 60 }, { x: 54, y: 108 }, { x: 59, y: 118 },
    ]);
  });

  it('lands a face whose five points are known on the template within half a pixel', () => {
    for (const [scale, degrees, shift] of [[3.1, 17, { x: 420, y: 96 }], [0.6, -35, { x: 12, y: 300 }], [1, 0, { x: 0, y: 0 }]] as const) {
      const face = placedTemplate(scale, degrees, shift);
      const toChip = similarityTransform(fivePoints(landmarksWithFivePoints(face)), ARCFACE_TEMPLATE);
      face.forEach((point, index) => {
        const landed = applyAffine(toChip, point);
        const target = ARCFACE_TEMPLATE[index] as Point;
        assert.ok(Math.hypot(landed.x - target.x, landed.y - target.y) < 0.5, `point ${index} landed at ${JSON.stringify(landed)}, not ${JSON.stringify(target)}`);
      });
    }
  });

  it('never reflects: a mirrored face is rotated and scaled, not flipped', () => {
    const mirrored = placedTemplate(2, 10, { x: 300, y: 50 }).map((point) => ({ x: 1000 - point.x, y: point.y }));
    const toChip = similarityTransform(mirrored, ARCFACE_TEMPLATE);
    assert.ok(determinant(toChip) > 0, `determinant ${determinant(toChip)}`);
    assert.ok(Math.abs(toChip.a - toChip.d) < 1e-9 && Math.abs(toChip.b + toChip.c) < 1e-9, 'a similarity: the same scale on both axes, no shear');
  });

  it('fits noisy points by least squares: the residual is what the noise left', () => {
    const face = placedTemplate(2.5, 8, { x: 200, y: 140 });
    const noisy = face.map((point, index) => ({ x: point.x + (index % 2 === 0 ? 1 : -1), y: point.y + (index % 3 === 0 ? -1 : 1) }));
    const toChip = similarityTransform(noisy, ARCFACE_TEMPLATE);
    const residual = noisy.reduce((sum, point, index) => {
      const landed = applyAffine(toChip, point);
      const target = ARCFACE_TEMPLATE[index] as Point;
      return sum + Math.hypot(landed.x - target.x, landed.y - target.y);
    }, 0) / noisy.length;
    assert.ok(residual > 0.05 && residual < 1, `mean residual ${residual} chip pixels`);
  });

  it('samples the chip through the inverse map, the OpenCV way: chip pixel (u, v) shows source pixel M⁻¹(u, v)', () => {
    const width = 400;
    const height = 300;
    const face = placedTemplate(2, 20, { x: 150, y: 60 });
    const chipToSource = arcfaceChipToSource(landmarksWithFivePoints(face));
    const nose = applyAffine(chipToSource, { x: 56, y: 72 });
    const rgb = new Uint8Array(width * height * 3);
    const at = (Math.round(nose.y) * width + Math.round(nose.x)) * 3;
    rgb[at] = 255;
    const chip = warpChip(rgb, width, height, chipToSource, ARCFACE_CHIP_SIZE);
    let brightest = { u: -1, v: -1, value: -1 };
    for (let v = 0; v < ARCFACE_CHIP_SIZE; v += 1) {
      for (let u = 0; u < ARCFACE_CHIP_SIZE; u += 1) {
        const value = chip[(v * ARCFACE_CHIP_SIZE + u) * 3] ?? 0;
        if (value > brightest.value) brightest = { u, v, value };
      }
    }
    const expected = applyAffine(invertAffine(chipToSource), { x: Math.round(nose.x), y: Math.round(nose.y) });
    assert.ok(Math.hypot(brightest.u - expected.x, brightest.v - expected.y) <= 1, `bright pixel at ${JSON.stringify(brightest)}, expected near ${JSON.stringify(expected)}`);
    assert.equal(chip[0], 0, 'nothing bright elsewhere');
  });
});
