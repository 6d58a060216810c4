/** Which faces of an answer the engine was unsure of: fans are asked "is this X?" about them. */
import type { IdentifiedFace } from '../identify/identify.ts';

/** A decision this close to the group's threshold is a question worth asking. */
const UNSURE_MARGIN = 0.15;
/** At most this many questions under one answer. */
export const MAX_QUESTIONS = 2;

/** The member the engine leaned to, when its decision on the face was close to the threshold. */
export function unsureOf(face: IdentifiedFace, requiredConfidence: number): string | undefined {
  if (face.confidence >= requiredConfidence + UNSURE_MARGIN) return undefined;
  return face.name ?? face.candidates[0]?.name;
}
