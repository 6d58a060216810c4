/** An answer a bot posts, kept for a day so fans can correct it: its id goes into the buttons under it. */
import { DEFAULT_REQUIRED_CONFIDENCE } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import type { IdentifiedFace } from '../identify/identify.ts';
import type { MediaRef } from '../media-ref/index.ts';
import { MAX_QUESTIONS, unsureOf } from './unsure.ts';

export interface UnsureQuestion {
  /** From 1, left to right. */
  face: number;
  member: string;
}

export interface AnswerFeedback {
  answerId: string;
  faces: number;
  /** "Is face 2 Lisa?": faces the engine was unsure of. */
  questions: UnsureQuestion[];
  /** The answer's file the buttons belong under, where a platform sends files apart (the labelled picture). */
  picture?: string;
}

export async function keepAnswerForFeedback(
  context: CoreContext,
  answer: { server: string; group: string; picture: MediaRef; frameSeconds?: number; faces: readonly IdentifiedFace[] },
): Promise<AnswerFeedback> {
  const group = await context.store.requireGroup(answer.server, answer.group);
  const required = group.settings.unknownThreshold ?? DEFAULT_REQUIRED_CONFIDENCE;
  const faces = answer.faces.map((face) => {
    const unsure = unsureOf(face, required);
    return { box: face.box, name: face.name, confidence: face.confidence, ...(unsure === undefined ? {} : { unsureOf: unsure }) };
  });
  const stored = await context.answers.put({
    server: answer.server, group: group.name, picture: answer.picture, ...(answer.frameSeconds === undefined ? {} : { frameSeconds: answer.frameSeconds }),
    faces, members: group.members.map((member) => member.name),
  });
  const questions = faces.flatMap((face, index) => (face.unsureOf === undefined ? [] : [{ face: index + 1, member: face.unsureOf }])).slice(0, MAX_QUESTIONS);
  return { answerId: stored.id, faces: faces.length, questions };
}
