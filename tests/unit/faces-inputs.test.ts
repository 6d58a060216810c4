/** The WASM Concat kernel face-api normalises every input with gives the same numbers as the one it replaces. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { selectBackend } from '../../models/backend.ts';
import { tfCore as tf } from '../../models/face-api.ts';

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
