/**
 * "Cancel" under a job's working message, on every platform: the button's data names who asked and the request;
 * only the person who asked may press it, and a press marks the request cancelled for whichever worker has it.
 */
import type { JobCancellations } from '../../workers/cancellations.ts';

export interface CancelChoice {
  userId: string;
  requestId: string;
}

export const CANCEL_LABEL = 'Cancel';

/** Within Telegram's 64 bytes of callback data and Discord's 100 characters of custom id. */
const CANCEL_DATA = /^cancel:(\d{1,20}):((?:discord|telegram):-?\d{1,20}(?::\d{1,12})?)$/;

export function cancelButtonData(choice: CancelChoice): string {
  return `cancel:${choice.userId}:${choice.requestId}`;
}

export function parseCancelButton(data: string): CancelChoice | undefined {
  const match = CANCEL_DATA.exec(data);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { userId: match[1], requestId: match[2] };
}

export interface CancelResponder {
  /** Only the presser sees it. */
  refuse(text: string): Promise<void>;
  /** The working message says the job is being cancelled, without the button. */
  acknowledge(): Promise<void>;
}

export const CANCELLING_TEXT = 'Cancelling…';

export async function pressCancel(choice: CancelChoice, presser: string, cancellations: JobCancellations, responder: CancelResponder): Promise<void> {
  if (presser !== choice.userId) {
    await responder.refuse('Only the person who asked can cancel this.');
    return;
  }
  await cancellations.cancel(choice.requestId);
  await responder.acknowledge();
}
