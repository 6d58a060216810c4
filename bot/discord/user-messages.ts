import { fitText } from '../shared/texts.ts';


/** Discord's content limit per message. */
export const MAX_CONTENT_LENGTH = 2000;

/** Text within Discord's limit: the whole of it when it fits, else cut at a line end with a note. */
export function fitContent(text: string): { content: string; cut: boolean } {
  const fitted = fitText(text, MAX_CONTENT_LENGTH);
  return { content: fitted.text, cut: fitted.cut };
}
