/** Telegram's text limits. */
export { fitText, progressText } from '../shared/texts.ts';

export const MAX_MESSAGE_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
