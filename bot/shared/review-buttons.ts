/**
 * "Accept all" / "Discard" under an image search's review sheet, on every platform: the button's data names the
 * pending set and the decision; only an admin's press counts, the buttons go once pressed, the outcome is answered.
 */
import { checkAccess, findCommand, runCommand, textAnswer, type Answer, type CommandContext } from '../../commands/index.ts';
import { toNotice, type ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

export type ReviewAction = 'accept' | 'discard';

export interface ReviewChoice {
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
const REVIEW_DATA = /^(?:review|r):([0-9a-f]{8}):(accept|discard)$/;

export function reviewButtonData(id: string, action: ReviewAction): string {
  return `review:${id}:${action}`;
}

export function parseReviewButton(data: string): ReviewChoice | undefined {
  const match = REVIEW_DATA.exec(data);
  const id = match?.[1];
  const action = match?.[2];
  return id === undefined || (action !== 'accept' && action !== 'discard') ? undefined : { id, action };
}

export const REVIEW_BUTTON_LABELS: Record<ReviewAction, string> = { accept: 'Accept all', discard: 'Discard' };

export async function decideReview(choice: ReviewChoice, context: CommandContext, responder: ButtonResponder, logger: Logger): Promise<void> {
  const command = findCommand('review', 'slash');
  if (command === undefined) throw new Error('the review command is missing');
  try {
    checkAccess(command, context);
  } catch (error) {
    await responder.refuse(toNotice(error));
    return;
  }
  await responder.removeButtons();
  try {
    const outcome = await runCommand(command, context, { id: choice.id, action: choice.action });
    await responder.answer(outcome.kind === 'reply' ? outcome.answer : textAnswer(outcome.working));
    logger.info({ action: choice.action }, 'review decided');
  } catch (error) {
    const notice = toNotice(error);
    if (notice.code === 'internal') logger.error({ err: error }, 'review failed');
    else logger.info({ code: notice.code }, 'review refused');
    await responder.refuse(notice);
  }
}
