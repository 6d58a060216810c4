import { ERROR_MESSAGES, isIdolensError, type ErrorCode } from '../../core/errors.ts';

/** Discord's content limit per message. */
export const MAX_CONTENT_LENGTH = 2000;

/** What the user reads for a failure: the domain's sentence for our codes, a plain apology for anything else. */
export function userMessage(code: string, message: string): string {
  const known = Object.hasOwn(ERROR_MESSAGES, code);
  return known && message.trim() !== '' ? message : ERROR_MESSAGES[known ? (code as ErrorCode) : 'internal'];
}

export function errorNotice(error: unknown): { code: string; message: string } {
  if (isIdolensError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}

/** Text within Discord's limit: the whole of it when it fits, else cut at a line end with a note. */
export function fitContent(text: string): { content: string; cut: boolean } {
  if (text.length <= MAX_CONTENT_LENGTH) return { content: text, cut: false };
  const note = '\n… (the whole result is in result.txt)';
  const room = MAX_CONTENT_LENGTH - note.length;
  const lineEnd = text.lastIndexOf('\n', room);
  return { content: `${text.slice(0, lineEnd > room / 2 ? lineEnd : room)}${note}`, cut: true };
}
