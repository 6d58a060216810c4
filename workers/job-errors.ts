import { ERROR_MESSAGES, isIdolensError, type ErrorCode } from '../core/errors.ts';

/** Failures that can pass (network, a restarting Redis, our own bug fixed by a redeploy): worth another try. */
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['internal', 'download_failed']);

/** Retrying can never help: bad media, an unknown group, a quota. The queue must fail the job at once. */
export function isPermanentFailure(error: unknown): boolean {
  return isIdolensError(error) && !TRANSIENT_CODES.has(error.code);
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
export function decodeFailure(reason: string | undefined): { code: string; message: string } {
  const match = REASON.exec(reason ?? '');
  if (match?.[1] && Object.hasOwn(ERROR_MESSAGES, match[1]) && match[2] !== undefined) return { code: match[1], message: match[2] };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}

/** What the requester is told about an error (never a stack or an internal message). */
export function failureNotice(error: unknown): { code: string; message: string } {
  if (isIdolensError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}
