import { createRequire } from 'node:module';

/** libsvm 3.22 compiled by emscripten (`libsvm-js`): the same C code sklearn's SVC wraps. */
interface LibsvmInstance {
  train(samples: number[][], labels: number[]): void;
  serializeModel(): string;
  free(): void;
}
interface LibsvmConstructor {
  new (options: { kernel: number; type: number; cost: number; quiet: boolean; shrinking: boolean }): LibsvmInstance;
  KERNEL_TYPES: { LINEAR: number };
  SVM_TYPES: { C_SVC: number };
}

const require = createRequire(import.meta.url);
let libsvm: LibsvmConstructor | undefined;

/**
 * The asm.js build loads synchronously and prints nothing; these problems are tiny (≤ a few hundred 128-d samples).
 * Loaded on first training only: identifying with a trained model never needs it.
 */
function loadLibsvm(): LibsvmConstructor {
  libsvm ??= require('libsvm-js/asm') as LibsvmConstructor;
  return libsvm;
}

/** A one-vs-one pair's linear decision function: positive favours `positive`. */
export interface PairwiseHyperplane {
  positive: number;
  negative: number;
  weights: number[];
  bias: number;
}

export interface LinearSvmModel {
  classes: number;
  /** libsvm's own model file, kept so the model can be inspected or reloaded by libsvm tools. */
  libsvmModel: string;
  /** libsvm's class order: on a tie in votes it predicts the class listed first. */
  labelOrder: number[];
  hyperplanes: PairwiseHyperplane[];
}

export function trainLinearSvm(features: Float32Array[], labels: number[], cost: number): LinearSvmModel {
  const Libsvm = loadLibsvm();
  const svm = new Libsvm({ kernel: Libsvm.KERNEL_TYPES.LINEAR, type: Libsvm.SVM_TYPES.C_SVC, cost, quiet: true, shrinking: true });
  try {
    svm.train(features.map((feature) => Array.from(feature)), labels);
    const libsvmModel = svm.serializeModel();
    const labelOrder = headerValues(libsvmModel.split('\n'), 'label');
    return { classes: new Set(labels).size, libsvmModel, labelOrder, hyperplanes: hyperplanesFromModel(libsvmModel, features[0]?.length ?? 0) };
  } finally {
    svm.free();
  }
}

function headerValues(lines: string[], key: string): number[] {
  const line = lines.find((candidate) => candidate.startsWith(`${key} `));
  if (!line) throw new Error(`libsvm model has no ${key}`);
  return line.slice(key.length + 1).trim().split(/\s+/).map(Number);
}

/**
 * Collapses libsvm's support vectors into one weight vector per class pair (possible because the kernel is linear),
 * following libsvm's model layout: for pair (i, j) the SVs of class i carry coefficient j-1, those of j carry i.
 */
export function hyperplanesFromModel(model: string, dimensions: number): PairwiseHyperplane[] {
  const lines = model.split('\n');
  const svStart = lines.indexOf('SV');
  const header = lines.slice(0, svStart);
  const labels = headerValues(header, 'label');
  const rho = headerValues(header, 'rho');
  const counts = headerValues(header, 'nr_sv');
  const classCount = labels.length;
  const vectors = lines.slice(svStart + 1).filter((line) => line.trim() !== '').map((line) => parseSupportVector(line, classCount - 1, dimensions));
  const starts: number[] = [];
  counts.reduce((offset, count, index) => { starts[index] = offset; return offset + count; }, 0);
  const hyperplanes: PairwiseHyperplane[] = [];
  let pair = 0;
  for (let i = 0; i < classCount; i += 1) {
    for (let j = i + 1; j < classCount; j += 1) {
      const weights = new Array<number>(dimensions).fill(0);
      accumulate(weights, vectors, starts[i] ?? 0, counts[i] ?? 0, j - 1);
      accumulate(weights, vectors, starts[j] ?? 0, counts[j] ?? 0, i);
      hyperplanes.push({ positive: labels[i] ?? i, negative: labels[j] ?? j, weights, bias: -(rho[pair] ?? 0) });
      pair += 1;
    }
  }
  return hyperplanes;
}

function parseSupportVector(line: string, coefficientCount: number, dimensions: number): { coefficients: number[]; values: number[] } {
  const parts = line.trim().split(/\s+/);
  const coefficients = parts.slice(0, coefficientCount).map(Number);
  const values = new Array<number>(dimensions).fill(0);
  for (const part of parts.slice(coefficientCount)) {
    const [index, value] = part.split(':');
    values[Number(index) - 1] = Number(value);
  }
  return { coefficients, values };
}

function accumulate(weights: number[], vectors: { coefficients: number[]; values: number[] }[], start: number, count: number, coefficientIndex: number): void {
  for (let sv = start; sv < start + count; sv += 1) {
    const vector = vectors[sv];
    if (!vector) continue;
    const coefficient = vector.coefficients[coefficientIndex] ?? 0;
    for (let d = 0; d < weights.length; d += 1) weights[d] = (weights[d] ?? 0) + coefficient * (vector.values[d] ?? 0);
  }
}

/** One-vs-one votes per class, and the summed pairwise decision values (how far each class won or lost). */
export function svmVotes(model: LinearSvmModel, feature: Float32Array): { votes: number[]; confidence: number[] } {
  const votes = new Array<number>(model.classes).fill(0);
  const confidence = new Array<number>(model.classes).fill(0);
  for (const plane of model.hyperplanes) {
    let value = plane.bias;
    for (let d = 0; d < plane.weights.length; d += 1) value += (plane.weights[d] ?? 0) * (feature[d] ?? 0);
    const winner = value > 0 ? plane.positive : plane.negative;
    votes[winner] = (votes[winner] ?? 0) + 1;
    confidence[plane.positive] = (confidence[plane.positive] ?? 0) + value;
    confidence[plane.negative] = (confidence[plane.negative] ?? 0) - value;
  }
  return { votes, confidence };
}

export function svmPredict(model: LinearSvmModel, feature: Float32Array): number {
  const { votes } = svmVotes(model, feature);
  let best = model.labelOrder[0] ?? 0;
  for (const label of model.labelOrder) {
    if ((votes[label] ?? 0) > (votes[best] ?? 0)) best = label;
  }
  return best;
}
