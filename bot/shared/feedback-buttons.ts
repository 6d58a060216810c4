/**
 * The buttons under a labelled answer, on every platform: "Wrong name?" opens the correction (which face, then
 * who), and "Face 2: Lisa?" Yes / No asks about a face the engine was unsure of. The data name the kept answer.
 */
import { NOT_IN_GROUP } from '../../commands/correct.ts';
import type { CoreContext } from '../../core/context.ts';
import { confirmFace } from '../../core/feedback/confirm.ts';
import type { AnswerFeedback } from '../../core/feedback/answer-feedback.ts';
import type { AnswerRecord } from '../../core/feedback/answer-store.ts';

export const WRONG_NAME_LABEL = 'Wrong name?';

export type FeedbackPress =
  | { kind: 'fix'; answerId: string }
  | { kind: 'sure'; answerId: string; face: number; yes: boolean };

export interface ButtonSpec {
  label: string;
  data: string;
  style: 'primary' | 'secondary' | 'success' | 'danger';
}

const FIX = /^fix:([0-9a-f]{8})$/;
const SURE = /^sure:([0-9a-f]{8}):(\d{1,3}):([yn])$/;

export function parseFeedbackButton(data: string): FeedbackPress | undefined {
  const fix = FIX.exec(data);
  if (fix?.[1] !== undefined) return { kind: 'fix', answerId: fix[1] };
  const sure = SURE.exec(data);
  if (sure?.[1] === undefined) return undefined;
  return { kind: 'sure', answerId: sure[1], face: Number(sure[2]), yes: sure[3] === 'y' };
}

/** One row with "Wrong name?", then a row per question: "Face 2: Lisa?" Yes / No. */
export function feedbackButtonRows(feedback: AnswerFeedback): ButtonSpec[][] {
  const questions = feedback.questions.map((question): ButtonSpec[] => [
    { label: `Face ${question.face}: ${question.member}? Yes`, data: `sure:${feedback.answerId}:${question.face}:y`, style: 'success' },
    { label: 'No', data: `sure:${feedback.answerId}:${question.face}:n`, style: 'secondary' },
  ]);
  return [[{ label: WRONG_NAME_LABEL, data: `fix:${feedback.answerId}`, style: 'primary' }], ...questions];
}

export interface MenuChoice {
  label: string;
  value: string;
}

/** The answer's faces as a fan picks one: "Face 2 (from the left): unknown". */
export function faceChoices(answer: AnswerRecord): MenuChoice[] {
  return answer.faces.map((face, index) => ({ label: `Face ${index + 1} (from the left): ${face.name ?? 'unknown'}`, value: String(index + 1) }));
}

/**
 * Who face `face` (from 1) is instead: the group's members and "someone else", but not what the answer said (at
 * most `max` choices, "someone else" always among them unless the answer already said that).
 */
export function memberChoices(answer: AnswerRecord, face: number, max: number): MenuChoice[] {
  const shown = answer.faces[face - 1]?.name ?? null;
  const members = answer.members.filter((name) => name !== shown).map((name) => ({ label: name, value: name }));
  if (shown === null) return members.slice(0, max);
  return [...members.slice(0, max - 1), { label: 'Someone else (not in the group)', value: NOT_IN_GROUP }];
}

export const WHICH_FACE_QUESTION = 'Which face has the wrong name?';

export function whoQuestion(face: number): string {
  return `Who is face ${face} really?`;
}

/** What a press asks first: who face N is (after "no", or when the answer has one face), else which face is wrong. */
export function firstQuestion(answer: AnswerRecord, press: FeedbackPress): { ask: 'who'; face: number } | { ask: 'which' } {
  if (press.kind === 'sure') return { ask: 'who', face: press.face };
  return answer.faces.length === 1 ? { ask: 'who', face: 1 } : { ask: 'which' };
}

/** A fan's "yes", counted (or already counted), as the thanks only they see. */
export async function pressYes(core: CoreContext, server: string, press: { answerId: string; face: number }, fan: { user: string; name: string }): Promise<string> {
  const confirmed = await confirmFace(core, server, press.answerId, press.face, fan);
  return confirmed.repeated ? 'You already confirmed that one.' : `Thanks: noted that face ${press.face} is ${confirmed.member}.`;
}

export async function loadAnswer(core: CoreContext, server: string | undefined, answerId: string): Promise<AnswerRecord> {
  return core.answers.get(server ?? '', answerId);
}
