import { readArcfaceModel } from '../../models/arcface-model.ts';
import type { OnnxRuntimeChoice } from '../../models/onnx-runtime.ts';
import { embedderInfo } from './embedder-info.ts';
import type { FaceEmbedder } from './embedder.ts';
import { ARCFACE_CHIP_SIZE, arcfaceChipToSource } from './five-point.ts';

const PLANE = ARCFACE_CHIP_SIZE * ARCFACE_CHIP_SIZE;

/** Packed RGB 0–255 → planar RGB, (x − 127) / 128, as the model's own code feeds it. */
function toInput(chip: Float32Array): Float32Array {
  const input = new Float32Array(3 * PLANE);
  for (let index = 0; index < PLANE; index += 1) {
    input[index] = ((chip[index * 3] ?? 0) - 127) / 128;
    input[PLANE + index] = ((chip[index * 3 + 1] ?? 0) - 127) / 128;
    input[2 * PLANE + index] = ((chip[index * 3 + 2] ?? 0) - 127) / 128;
  }
  return input;
}

function unitLength(values: Float32Array): Float32Array {
  let sum = 0;
  for (const value of values) sum += value * value;
  const length = Math.sqrt(sum) || 1;
  return values.map((value) => value / length);
}

/**
 * The ArcFace-style MobileFaceNet (models/weights/fr_feature.onnx) on a 5-point similarity chip, run by
 * onnxruntime with one thread (the worker is the unit of parallelism). The model's batch size is fixed at 1.
 */
export async function arcfaceEmbedder(runtime: OnnxRuntimeChoice, modelFile?: string): Promise<FaceEmbedder> {
  const { ort } = runtime;
  const session = await ort.InferenceSession.create(readArcfaceModel(modelFile), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  if (inputName === undefined || outputName === undefined) throw new Error('the face model has no input or output');
  return {
    info: embedderInfo('arcface'),
    chipSize: ARCFACE_CHIP_SIZE,
    frame: arcfaceChipToSource,
    async describe(chips) {
      const descriptors: Float32Array[] = [];
      for (const chip of chips) {
        const input = new ort.Tensor('float32', toInput(chip), [1, 3, ARCFACE_CHIP_SIZE, ARCFACE_CHIP_SIZE]);
        const output = (await session.run({ [inputName]: input }))[outputName];
        if (!output || !(output.data instanceof Float32Array)) throw new Error('the face model gave no float output');
        descriptors.push(unitLength(output.data));
        input.dispose();
        output.dispose();
      }
      return descriptors;
    },
  };
}
