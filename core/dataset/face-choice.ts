import { IdolensError } from '../errors.ts';
import { euclidean } from '../classifier/vectors.ts';
import type { FaceObservation } from '../types.ts';
import type { EnrollDistances } from '../faces/profiles.ts';
import { ENROLL_QUALITY } from './quality.ts';

/** Distance to the closest of the references (Infinity when there are none). */
export function nearestDistance(descriptor: Float32Array, references: readonly Float32Array[]): number {
  let best = Infinity;
  for (const reference of references) best = Math.min(best, euclidean(descriptor, reference));
  return best;
}

/**
 * Picks the one face of a photo that can become the member's sample: exactly one usable face, or, among several,
 * the one that unambiguously matches the member's existing samples. Throws the reason otherwise.
 */
export function chooseEnrollFace<T extends FaceObservation>(faces: readonly T[], memberEmbeddings: readonly Float32Array[], distances: EnrollDistances): T {
  if (faces.length === 0) throw new IdolensError('no_face');
  const largest = Math.max(...faces.map((face) => face.box.width));
  const candidates = faces.filter((face) => face.box.width >= largest * ENROLL_QUALITY.backgroundFaceRatio);
  const usable = candidates.filter((face) => face.box.width >= ENROLL_QUALITY.minFaceWidth);
  if (usable.length === 0) {
    throw new IdolensError('face_too_small', undefined, { faceWidth: Math.round(largest), minFaceWidth: ENROLL_QUALITY.minFaceWidth });
  }
  const chosen = usable.length === 1 ? usable[0] : matchMember(usable, memberEmbeddings, distances);
  if (!chosen) throw new IdolensError('several_faces', undefined, { faces: usable.length });
  if (chosen.sharpness < ENROLL_QUALITY.minSharpness) {
    throw new IdolensError('face_blurry', undefined, { sharpness: Math.round(chosen.sharpness), minSharpness: ENROLL_QUALITY.minSharpness });
  }
  return chosen;
}

function matchMember<T extends FaceObservation>(faces: readonly T[], memberEmbeddings: readonly Float32Array[], distances: EnrollDistances): T | undefined {
  if (memberEmbeddings.length === 0) return undefined;
  const ranked = faces
    .map((face) => ({ face, distance: nearestDistance(face.descriptor, memberEmbeddings) }))
    .sort((a, b) => a.distance - b.distance);
  const [best, second] = ranked;
  if (!best || best.distance > distances.memberMatch) return undefined;
  if (second && second.distance - best.distance < distances.memberMatchLead) return undefined;
  return best.face;
}
