import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tfCore as tf } from './face-api.ts';

type NumericArray = Float32Array | Int32Array | Uint8Array;

/** The two BackendWasm methods the kernel needs (the backend's class is not exported with types). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(tensor: TensorInfo): NumericArray;
}

/** Below this many values per copied run, an index loop beats creating a subarray for TypedArray.set. */
const SHORT_RUN = 64;

function copyRuns(inputs: readonly NumericArray[], runs: readonly number[], output: NumericArray, outerCount: number): void {
  let target = 0;
  for (let outer = 0; outer < outerCount; outer += 1) {
    for (let index = 0; index < inputs.length; index += 1) {
      const values = inputs[index] as NumericArray;
      const run = runs[index] as number;
      const source = outer * run;
      if (run >= SHORT_RUN) output.set(values.subarray(source, source + run), target);
      else for (let offset = 0; offset < run; offset += 1) output[target + offset] = values[source + offset] as number;
      target += run;
    }
  }
}

/**
 * tfjs's WASM Concat copies each outer row through a fresh subarray. face-api normalises every network input by
 * concatenating three one-channel mean planes along the last axis, so that is one subarray per pixel: on a clip it
 * cost more CPU (and garbage) than the detector. Same results, with an index loop for short runs; anything
 * unusual (strings, a single input, empty output) still goes to the original kernel.
 */
export function installFastConcat(): void {
  const original = tf.getKernel('Concat', 'wasm');
  if (!original) return;
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const present = inputs.filter((input) => tf.util.sizeFromShape(input.shape) > 0);
    const first = present[0];
    if (!first || present.length < 2 || first.dtype === 'string' || first.dtype === 'complex64') return original.kernelFunc(args);
    const axis = tf.util.parseAxisParam(args.attrs?.['axis'] as number, first.shape)[0] ?? 0;
    tf.backend_util.assertParamsConsistent(inputs.map((input) => input.shape), axis);
    const outShape = tf.backend_util.computeOutShape(present.map((input) => input.shape), axis);
    const backend = args.backend as unknown as WasmHeap;
    const output = backend.makeOutput(outShape, first.dtype);
    copyRuns(
      present.map((input) => backend.typedArrayFromHeap(input)),
      present.map((input) => tf.util.sizeFromShape(input.shape.slice(axis))),
      backend.typedArrayFromHeap(output),
      tf.util.sizeFromShape(first.shape.slice(0, axis)),
    );
    return output;
  };
  tf.unregisterKernel('Concat', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}
