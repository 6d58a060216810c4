/**
 * "Accept all" / "Discard" under an image search's review sheet, on every platform: the button's data names the
 * pending set and the decision; only an admin's press counts, the buttons go once pressed, the outcome is answered.
 */
import { checkAccess, findCommand, runCommand, textAnswer, type Answer, type CommandContext, type RawOptions } from '../../commands/index.ts';
import type { ButtonSpec } from './feedback-buttons.ts';
import { toNotice, type ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

export type ReviewAction = 'accept' | 'discard';

/** What the sheet under review is: an image search's pending photos, or fans' suggestions. */
export type ReviewKind = 'search' | 'suggestions';

export interface ReviewChoice {
  kind: ReviewKind;
  id: string;
  action: ReviewAction;
}

export interface ButtonResponder {
  /** Only the person who pressed sees it. */
  refuse(notice: ErrorNotice): Promise<void>;
  removeButtons(): Promise<void>;
  answer(answer: Answer): Promise<void>;
}

/** Short enough for Telegram's 64 bytes of callback data. */
const REVIEW_DATA = /^(review|r|sugg):([0-9a-f]{8}):(accept|discard)$/;

export function reviewButtonData(id: string, action: ReviewAction, kind: ReviewKind = 'search'): string {
  return `${kind === 'search' ? 'review' : 'sugg'}:${id}:${action}`;
}

export function parseReviewButton(data: string): ReviewChoice | undefined {
  const match = REVIEW_DATA.exec(data);
  const id = match?.[2];
  const action = match?.[3];
  if (id === undefined || (action !== 'accept' && action !== 'discard')) return undefined;
  return { kind: match?.[1] === 'sugg' ? 'suggestions' : 'search', id, action };
}

export const REVIEW_BUTTON_LABELS: Record<ReviewAction, string> = { accept: 'Accept all', discard: 'Discard' };
const SUGGESTIONS_BUTTON_LABELS: Record<ReviewAction, string> = { accept: 'Accept all', discard: 'Reject all' };

/** The two buttons under a review sheet. */
export function reviewButtons(id: string, kind: ReviewKind): ButtonSpec[] {
  const labels = kind === 'search' ? REVIEW_BUTTON_LABELS : SUGGESTIONS_BUTTON_LABELS;
  return [
    { label: labels.accept, data: reviewButtonData(id, 'accept', kind), style: 'success' },
    { label: labels.discard, data: reviewButtonData(id, 'discard', kind), style: 'danger' },
  ];
}

/** The command a press runs, and its options. */
function reviewCall(choice: ReviewChoice): { name: string; options: RawOptions } {
  if (choice.kind === 'search') return { name: 'review', options: { id: choice.id, action: choice.action } };
  return { name: 'suggestions', options: { shown: choice.id, action: choice.action === 'accept' ? 'accept' : 'reject' } };
}

export async function decideReview(choice: ReviewChoice, context: CommandContext, responder: ButtonResponder, logger: Logger): Promise<void> {
  const call = reviewCall(choice);
  const command = findCommand(call.name, 'slash');
  if (command === undefined) throw new Error(`the ${call.name} command is missing`);
  try {
    checkAccess(command, context);
  } catch (error) {
    await responder.refuse(toNotice(error));
    return;
  }
  await responder.removeButtons();
  try {
    const outcome = await runCommand(command, context, call.options);
    await responder.answer(outcome.kind === 'reply' ? outcome.answer : textAnswer(outcome.working));
    logger.info({ action: choice.action, kind: choice.kind }, 'review decided');
  } catch (error) {
    const notice = toNotice(error);
    if (notice.code === 'internal') logger.error({ err: error }, 'review failed');
    else logger.info({ code: notice.code }, 'review refused');
    await responder.refuse(notice);
  }
}
