/**
 * Faces an admin approved from fans' corrections are remembered as they are: a face that is nearly the same shot
 * (closer than the embedder's near-duplicate distance) gets that member's name, whatever the centroids say. This
 * is what makes a correction stick: the very picture fans corrected is named right after the retrain.
 */
import type { GroupModelPayload } from './model.ts';
import { decodeFloat32, encodeFloat32, euclidean } from './vectors.ts';

/** The confidence an exemplar match carries. */
const EXEMPLAR_CONFIDENCE = 0.99;

export interface ExemplarSample {
  memberKey: string;
  embedding: Float32Array;
}

export interface LoadedExemplar {
  member: number;
  descriptor: Float32Array;
}

/** The model with its exemplars (members it no longer has are left out). */
export function withExemplars(payload: GroupModelPayload, samples: readonly ExemplarSample[], maxDistance: number): GroupModelPayload {
  const exemplars = samples.flatMap((sample) => {
    const member = payload.members.findIndex((entry) => entry.key === sample.memberKey);
    return member === -1 ? [] : [{ member, descriptor: encodeFloat32(sample.embedding) }];
  });
  return exemplars.length === 0 ? payload : { ...payload, exemplars, exemplarDistance: maxDistance };
}

export function loadExemplars(payload: GroupModelPayload): LoadedExemplar[] {
  return (payload.exemplars ?? []).map((entry) => ({ member: entry.member, descriptor: decodeFloat32(entry.descriptor) }));
}

/** The member whose approved face this nearly is, or null. */
export function exemplarMember(exemplars: readonly LoadedExemplar[], maxDistance: number | undefined, descriptor: Float32Array): number | null {
  if (maxDistance === undefined) return null;
  let best: LoadedExemplar | undefined;
  let bestDistance = maxDistance;
  for (const exemplar of exemplars) {
    const apart = euclidean(descriptor, exemplar.descriptor);
    if (apart < bestDistance) [best, bestDistance] = [exemplar, apart];
  }
  return best?.member ?? null;
}

/** Confidences and SVM pick as the exemplar decides them. */
export function withExemplarDecision<T extends { confidences: number[]; svmChoice: number | null }>(scores: T, member: number | null): T {
  if (member === null) return scores;
  return { ...scores, svmChoice: member, confidences: scores.confidences.map((confidence, index) => (index === member ? Math.max(confidence, EXEMPLAR_CONFIDENCE) : confidence)) };
}
