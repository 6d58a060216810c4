/** What a user reads when a command or job fails, on every platform. */
import { ERROR_MESSAGES, isIdolensError, type ErrorCode } from '../../core/errors.ts';

/** The domain's sentence for our codes, a plain apology for anything else (no stack, no internals). */
export function userMessage(code: string, message: string): string {
  const known = Object.hasOwn(ERROR_MESSAGES, code);
  return known && message.trim() !== '' ? message : ERROR_MESSAGES[known ? (code as ErrorCode) : 'internal'];
}

export function errorNotice(error: unknown): { code: string; message: string } {
  if (isIdolensError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}
