import { isErrorCode, isWorthRetrying, noticeOf, type ErrorNotice } from '../core/errors.ts';

/** Retrying can never help (bad media, an unknown group, a quota: the error table says so): the queue fails the job at once. */
export function isPermanentFailure(error: unknown): boolean {
  return !isWorthRetrying(error);
}

/** A job that failed for good, with the code and sentence its requester is told. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';

  constructor(readonly code: string, message: string, readonly permanent: boolean, options?: ErrorOptions) {
    super(message, options);
  }
}

const REASON = /^\[([a-z_]+)\] ([\s\S]*)$/;

/** How a failure travels through a queue's failure reason: `[code] message`. */
export function encodeFailure(code: string, message: string): string {
  return `[${code}] ${message}`;
}

/** A reason we did not encode (a queue's own error, a crash) is `internal`: its text is never shown. */
export function decodeFailure(reason: string | undefined): ErrorNotice {
  const match = REASON.exec(reason ?? '');
  const code = match?.[1] ?? '';
  return isErrorCode(code) && match?.[2] !== undefined ? { code, message: match[2] } : noticeOf('internal', '');
}
