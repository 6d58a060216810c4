/** Which buttons go under an answer, as rows, whatever the platform draws them with. */
import { CANCEL_LABEL, cancelButtonData } from './cancel-buttons.ts';
import { feedbackButtonRows, type ButtonSpec } from './feedback-buttons.ts';
import type { FittedAnswer } from './fit-answer.ts';
import { reviewButtons } from './review-buttons.ts';

export function answerButtonRows(answer: Pick<FittedAnswer, 'reviewId' | 'suggestionsId' | 'feedback' | 'cancel'>): ButtonSpec[][] {
  if (answer.reviewId !== undefined) return [reviewButtons(answer.reviewId, 'search')];
  if (answer.suggestionsId !== undefined) return [reviewButtons(answer.suggestionsId, 'suggestions')];
  if (answer.feedback !== undefined) return feedbackButtonRows(answer.feedback);
  if (answer.cancel !== undefined) return [[{ label: CANCEL_LABEL, data: cancelButtonData(answer.cancel), style: 'secondary' }]];
  return [];
}
