export { errorNotice, userMessage } from '../shared/failure-text.ts';

/** Discord's content limit per message. */
export const MAX_CONTENT_LENGTH = 2000;

/** Text within Discord's limit: the whole of it when it fits, else cut at a line end with a note. */
export function fitContent(text: string): { content: string; cut: boolean } {
  if (text.length <= MAX_CONTENT_LENGTH) return { content: text, cut: false };
  const note = '\n… (the whole result is in result.txt)';
  const room = MAX_CONTENT_LENGTH - note.length;
  const lineEnd = text.lastIndexOf('\n', room);
  return { content: `${text.slice(0, lineEnd > room / 2 ? lineEnd : room)}${note}`, cut: true };
}
