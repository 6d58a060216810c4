/**
 * The cheaper ways the video path feeds the networks give the same numbers as the ways they replace: the
 * letterboxed detector input, and the WASM Concat kernel face-api normalises every input with.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { extractChip } from '../../core/faces/align.ts';
import { letterbox } from '../../core/faces/letterbox.ts';
import { selectBackend } from '../../models/backend.ts';
import { tfCore as tf } from '../../models/face-api.ts';

function gradientRaster(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      rgb[offset] = (x * 7 + y) % 256;
      rgb[offset + 1] = (y * 5) % 256;
      rgb[offset + 2] = (x * y) % 256;
    }
  }
  return rgb;
}

test('the letterboxed detector input equals the general bilinear crop of the same square, black below and right', () => {
  // Analysis rasters are at least as large as the detector input: scaling down only.
  for (const [width, height] of [[960, 540], [540, 960], [416, 416]] as const) {
    const rgb = gradientRaster(width, height);
    for (const side of [224, 416]) {
      const boxed = letterbox(rgb, width, height, side);
      const pixelSize = Math.max(width, height) / side;
      const reference = extractChip(rgb, width, height, { center: { x: (side / 2) * pixelSize, y: (side / 2) * pixelSize }, pixelSize, angle: 0 }, side);
      assert.equal(boxed.rasterPixelsPerPixel, pixelSize);
      let largest = 0;
      reference.forEach((value, index) => { largest = Math.max(largest, Math.abs(value - (boxed.pixels[index] ?? NaN))); });
      assert.ok(largest < 1e-3, `${width}×${height} into ${side}: largest difference ${largest}`);
    }
  }
});

test('a reused letterbox buffer carries nothing over from a larger picture', () => {
  const wide = letterbox(gradientRaster(960, 540), 960, 540, 224).pixels.slice();
  letterbox(new Uint8Array(200 * 200 * 3).fill(255), 200, 200, 224);
  const again = letterbox(gradientRaster(960, 540), 960, 540, 224).pixels;
  assert.deepEqual(again, wide);
});

test('Concat on the WASM backend gives the same tensors as stacking the values by hand, on every axis', async () => {
  await selectBackend('wasm');
  const cases: { shapes: number[][]; axis: number; dtype: 'float32' | 'int32' }[] = [
    { shapes: [[1, 5, 7, 1], [1, 5, 7, 1], [1, 5, 7, 1]], axis: 3, dtype: 'float32' },
    { shapes: [[2, 3, 4], [2, 5, 4]], axis: 1, dtype: 'int32' },
    { shapes: [[2, 3, 100], [2, 3, 30]], axis: 2, dtype: 'float32' },
    { shapes: [[3, 4], [5, 4]], axis: 0, dtype: 'float32' },
    { shapes: [[1, 30, 40, 3], [1, 10, 40, 3]], axis: 1, dtype: 'float32' },
  ];
  for (const { shapes, axis, dtype } of cases) {
    const tensors = shapes.map((shape, index) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, at) => at * 3 + index), shape, dtype));
    const joined = tf.concat(tensors, axis);
    const expected = stackByHand(tensors.map((tensor) => tensor.arraySync()), axis);
    assert.deepEqual(joined.arraySync(), expected, `${JSON.stringify(shapes)} on axis ${axis}`);
    tf.dispose([...tensors, joined]);
  }
});

function stackByHand(arrays: unknown[], axis: number): unknown {
  if (axis === 0) return (arrays as unknown[][]).flat(1);
  return (arrays[0] as unknown[]).map((_, index) => stackByHand(arrays.map((array) => (array as unknown[])[index]), axis - 1));
}
