import { centredUnit, dot } from './geometry.ts';
import { svmPredict } from './linear-svm.ts';
import { exemplarMember, loadExemplars, withExemplarDecision, type LoadedExemplar } from './exemplars.ts';
import { assignLineup } from './lineup.ts';
import type { FaceScores, GroupModelPayload } from './model.ts';
import { decodeFloat32 } from './vectors.ts';

/** A face is named when at least this confident (a group's `unknownThreshold` setting overrides it). */
export const DEFAULT_REQUIRED_CONFIDENCE = 0.5;

export interface LoadedGroupModel {
  payload: GroupModelPayload;
  center: Float32Array;
  centroids: Float32Array[];
  exemplars: LoadedExemplar[];
}

export function loadGroupModel(payload: GroupModelPayload): LoadedGroupModel {
  return { payload, center: decodeFloat32(payload.center), centroids: payload.centroids.map(decodeFloat32), exemplars: loadExemplars(payload) };
}

function confidenceAt(cosine: number, acceptCosine: number, scale: number): number {
  return 1 / (1 + Math.exp(-(cosine - acceptCosine) / scale));
}

export function scoreFace(model: LoadedGroupModel, descriptor: Float32Array): FaceScores {
  const feature = centredUnit(descriptor, model.center);
  const cosines = model.centroids.map((centroid) => dot(feature, centroid));
  const { acceptCosines, confidenceScale } = model.payload.calibration;
  const confidences = cosines.map((cosine, member) => confidenceAt(cosine, acceptCosines[member] ?? 1, confidenceScale));
  const svmChoice = model.payload.svm ? svmPredict(model.payload.svm, feature) : null;
  return withExemplarDecision({ cosines, confidences, svmChoice }, exemplarMember(model.exemplars, model.payload.exemplarDistance, descriptor));
}

export interface FaceDecision {
  /** Member index, or null for unknown. */
  member: number | null;
  /** Confidence in the decision: of the name when named, that it is nobody enrolled when unknown. */
  confidence: number;
  /** Members ranked by confidence, best first (at most `limit`). */
  candidates: { member: number; score: number }[];
  /** Named only because other faces of the same picture were named (the group is evidently there). */
  byContext: boolean;
}

/** A member is admissible for a face when confident enough and not contradicted by the SVM (unless clearly ahead of its pick). */
function admissibility(model: LoadedGroupModel, face: FaceScores, confidences: readonly number[], requiredConfidence: number): number[] {
  const margin = model.payload.calibration.disagreementMargin;
  return confidences.map((confidence, member) => {
    if (confidence < requiredConfidence) return -Infinity;
    if (face.svmChoice !== null && face.svmChoice !== member) {
      const lead = (face.cosines[member] ?? 0) - (face.cosines[face.svmChoice] ?? 0);
      if (lead < margin) return -Infinity;
    }
    return confidence;
  });
}

/**
 * The context pass: once `minFaces` faces of the picture are named at the strict threshold, the faces still
 * unknown are assigned (jointly, to members not yet in the picture) at the context threshold.
 */
function contextNames(model: LoadedGroupModel, faces: readonly FaceScores[], strict: readonly (number | null)[], requiredConfidence: number): Map<number, { member: number; confidence: number }> {
  const context = model.payload.calibration.context;
  const named = strict.filter((member): member is number => member !== null);
  if (context === null || named.length < context.minFaces) return new Map();
  const used = new Set(named);
  const open = strict.flatMap((member, index) => (member === null ? [index] : []));
  const confidences = open.map((index) => (faces[index]?.cosines ?? []).map((cosine, member) => (used.has(member) ? 0 : confidenceAt(cosine, Math.min(context.acceptCosine, model.payload.calibration.acceptCosines[member] ?? 1), model.payload.calibration.confidenceScale))));
  const admissible = open.map((index, position) => admissibility(model, faces[index] as FaceScores, confidences[position] ?? [], requiredConfidence));
  const assignment = assignLineup(admissible, requiredConfidence);
  const result = new Map<number, { member: number; confidence: number }>();
  open.forEach((index, position) => {
    const member = assignment[position];
    if (member !== null && member !== undefined) result.set(index, { member, confidence: confidences[position]?.[member] ?? 0 });
  });
  return result;
}

/**
 * Names every face in one picture together: each member at most once (Hungarian assignment over the admissible
 * names), then, in a picture where enough faces were named, the rest at the model's context threshold.
 */
export function decideFaces(model: LoadedGroupModel, faces: readonly FaceScores[], requiredConfidence = DEFAULT_REQUIRED_CONFIDENCE, limit = 3): FaceDecision[] {
  const strict = assignLineup(faces.map((face) => admissibility(model, face, face.confidences, requiredConfidence)), requiredConfidence);
  const byContext = contextNames(model, faces, strict, requiredConfidence);
  return faces.map((face, index) => {
    const candidates = face.confidences
      .map((score, member) => ({ member, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    const contextual = byContext.get(index);
    if (contextual) return { member: contextual.member, confidence: contextual.confidence, candidates, byContext: true };
    const member = strict[index] ?? null;
    const confidence = member === null ? 1 - (candidates[0]?.score ?? 0) : face.confidences[member] ?? 0;
    return { member, confidence, candidates, byContext: false };
  });
}
