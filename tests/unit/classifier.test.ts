import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { crossValidate, decideFaces, fitGroupModel, loadGroupModel, scoreFace, type TrainingMember } from '../../core/classifier/index.ts';
import { hyperplanesFromModel, svmPredict, trainLinearSvm } from '../../core/classifier/linear-svm.ts';
import { assignLineup, hungarian } from '../../core/classifier/lineup.ts';
import { IdolensError } from '../../core/errors.ts';
import { recognitionProfile } from '../../core/faces/profiles.ts';

/** The synthetic descriptors here are dlib-like (128-d, centred by the group's mean). */
const PROFILE = recognitionProfile({ name: 'dlib' }).classifier;

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next());
}

function cluster(next: () => number, center: Float32Array, spread: number, count: number): Float32Array[] {
  return Array.from({ length: count }, () => center.map((value) => value + gaussian(next) * spread));
}

function randomCenter(next: () => number, dimensions = 128, scale = 0.1): Float32Array {
  return Float32Array.from({ length: dimensions }, () => gaussian(next) * scale);
}

test('decision functions rebuilt from the libsvm model predict exactly what libsvm predicts', () => {
  const next = random(3);
  const centers = [0, 1, 2, 3].map(() => randomCenter(next, 16, 1));
  const features = centers.flatMap((center) => cluster(next, center, 0.9, 12));
  const labels = centers.flatMap((_, index) => Array.from({ length: 12 }, () => index));
  const model = trainLinearSvm(features, labels, 1);
  const Libsvm = createRequire(import.meta.url)('libsvm-js/asm') as { load(serialized: string): { predictOne(sample: number[]): number } };
  const reference = Libsvm.load(model.libsvmModel);
  const probes = Array.from({ length: 300 }, () => randomCenter(next, 16, 1.5));
  const disagreements = probes.filter((probe) => reference.predictOne(Array.from(probe)) !== svmPredict(model, probe));
  assert.equal(disagreements.length, 0);
  assert.equal(hyperplanesFromModel(model.libsvmModel, 16).length, 6);
});

test('the Hungarian assignment finds the cheapest matching (checked against brute force)', () => {
  const next = random(9);
  for (let round = 0; round < 30; round += 1) {
    const size = 2 + (round % 4);
    const cost = Array.from({ length: size }, () => Array.from({ length: size }, () => Math.round(next() * 100)));
    const assignment = hungarian(cost);
    const total = assignment.reduce((sum, column, row) => sum + (cost[row]?.[column] ?? 0), 0);
    assert.equal(total, bruteForceMinimum(cost));
  }
});

function bruteForceMinimum(cost: number[][]): number {
  const size = cost.length;
  let best = Infinity;
  const permute = (row: number, used: Set<number>, sum: number): void => {
    if (row === size) {
      best = Math.min(best, sum);
      return;
    }
    for (let column = 0; column < size; column += 1) {
      if (used.has(column)) continue;
      used.add(column);
      permute(row + 1, used, sum + (cost[row]?.[column] ?? 0));
      used.delete(column);
    }
  };
  permute(0, new Set(), 0);
  return best;
}

test('two faces that both look most like one member get her once; the other gets its next best or unknown', () => {
  const scores = [
    [0.95, 0.7, 0.1],
    [0.9, 0.2, 0.1],
  ];
  assert.deepEqual(assignLineup(scores, 0.5), [1, 0]);
  assert.deepEqual(assignLineup([[0.95, 0.1], [0.9, 0.2]], 0.5), [0, null]);
  assert.deepEqual(assignLineup([[0.4, 0.3]], 0.5), [null]);
});

function syntheticGroup(seed: number, members: number, photos: number): { training: TrainingMember[]; centers: Float32Array[]; shared: Float32Array; next: () => number } {
  const next = random(seed);
  const shared = randomCenter(next, 128, 0.3);
  const centers = Array.from({ length: members }, () => shared.map((value) => value + gaussian(next) * 0.06));
  const training = centers.map((center, index) => ({ key: `m${index}`, name: `Member ${index}`, embeddings: cluster(next, center, 0.015, photos) }));
  return { training, centers, shared, next };
}

test('a fitted group names its members\' new photos and calls a stranger unknown', () => {
  const { training, centers, shared, next } = syntheticGroup(5, 5, 5);
  const model = loadGroupModel(fitGroupModel(training, 'test-embedder', PROFILE));
  const probes = centers.map((center) => cluster(next, center, 0.015, 1)[0] as Float32Array);
  const decisions = decideFaces(model, probes.map((probe) => scoreFace(model, probe)));
  assert.deepEqual(decisions.map((decision) => decision.member), [0, 1, 2, 3, 4]);
  const stranger = shared.map((value) => value + gaussian(next) * 0.06);
  const [strangerDecision] = decideFaces(model, [scoreFace(model, stranger)]);
  assert.equal(strangerDecision?.member, null);
  assert.ok((strangerDecision?.confidence ?? 0) > 0.5);
});

test('a group needs two members with photos before it can be trained', () => {
  const { training } = syntheticGroup(8, 2, 3);
  assert.throws(() => fitGroupModel([training[0] as TrainingMember], 'x', PROFILE), (error: unknown) => error instanceof IdolensError && error.code === 'not_enough_members');
  assert.throws(() => fitGroupModel([training[0] as TrainingMember, { key: 'e', name: 'Empty', embeddings: [] }], 'x', PROFILE), IdolensError);
});

test('cross-validation reports each member, and look-alike members as a confused pair', () => {
  const { training, next } = syntheticGroup(11, 4, 6);
  const twin = training[1] as TrainingMember;
  const lookalike: TrainingMember = { key: 'twin', name: 'Twin', embeddings: twin.embeddings.map((embedding) => embedding.map((value) => value + gaussian(next) * 0.01)) };
  const report = crossValidate([...training, lookalike], 'x', PROFILE);
  assert.equal(report.method, 'leave-one-out');
  assert.equal(report.members.length, 5);
  assert.equal(report.members[0]?.accuracy, 1);
  assert.ok(report.confusedPairs.some((pair) => [pair.a, pair.b].sort().join('+') === 'Member 1+Twin'));
  const solo = crossValidate([...training.slice(0, 2), { key: 'solo', name: 'Solo', embeddings: training[2]?.embeddings.slice(0, 1) ?? [] }], 'x', PROFILE);
  assert.equal(solo.members[2]?.accuracy, null);
});
