import { centredUnit, dot } from './geometry.ts';
import { svmPredict } from './linear-svm.ts';
import { assignLineup } from './lineup.ts';
import type { FaceScores, GroupModelPayload } from './model.ts';
import { decodeFloat32 } from './vectors.ts';

/** A face is named when at least this confident (a group's `unknownThreshold` setting overrides it). */
export const DEFAULT_REQUIRED_CONFIDENCE = 0.5;

/** Width of the confidence curve around the threshold, in cosine units. */
const CONFIDENCE_SCALE = 0.04;

export interface LoadedGroupModel {
  payload: GroupModelPayload;
  center: Float32Array;
  centroids: Float32Array[];
}

export function loadGroupModel(payload: GroupModelPayload): LoadedGroupModel {
  return { payload, center: decodeFloat32(payload.center), centroids: payload.centroids.map(decodeFloat32) };
}

export function scoreFace(model: LoadedGroupModel, descriptor: Float32Array): FaceScores {
  const feature = centredUnit(descriptor, model.center);
  const cosines = model.centroids.map((centroid) => dot(feature, centroid));
  const accept = model.payload.calibration.acceptCosine;
  const confidences = cosines.map((cosine) => 1 / (1 + Math.exp(-(cosine - accept) / CONFIDENCE_SCALE)));
  const svmChoice = model.payload.svm ? svmPredict(model.payload.svm, feature) : null;
  return { cosines, confidences, svmChoice };
}

export interface FaceDecision {
  /** Member index, or null for unknown. */
  member: number | null;
  /** Confidence in the decision: of the name when named, that it is nobody enrolled when unknown. */
  confidence: number;
  /** Members ranked by confidence, best first (at most `limit`). */
  candidates: { member: number; score: number }[];
}

/**
 * Names every face in one picture together: a member is admissible for a face when confident enough and not
 * contradicted by the SVM (unless clearly ahead of the SVM's pick); each member is used at most once.
 */
export function decideFaces(model: LoadedGroupModel, faces: readonly FaceScores[], requiredConfidence = DEFAULT_REQUIRED_CONFIDENCE, limit = 3): FaceDecision[] {
  const margin = model.payload.calibration.disagreementMargin;
  const admissible = faces.map((face) => face.confidences.map((confidence, member) => {
    if (confidence < requiredConfidence) return -Infinity;
    if (face.svmChoice !== null && face.svmChoice !== member) {
      const lead = (face.cosines[member] ?? 0) - (face.cosines[face.svmChoice] ?? 0);
      if (lead < margin) return -Infinity;
    }
    return confidence;
  }));
  const assignment = assignLineup(admissible, requiredConfidence);
  return faces.map((face, index) => {
    const candidates = face.confidences
      .map((score, member) => ({ member, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    const member = assignment[index] ?? null;
    const confidence = member === null ? 1 - (candidates[0]?.score ?? 0) : face.confidences[member] ?? 0;
    return { member, confidence, candidates };
  });
}
