/**
 * An answer fitted to a platform's limits: files over the upload limit left out and said so, the text cut at a line
 * end where it must be, and then the whole text attached as result.txt, so that nothing of a result is lost.
 */
import { fileSize, type Answer, type OutgoingFile } from '../../commands/answer.ts';

export interface PlatformLimits {
  /** Characters of one message's text. */
  messageLength: number;
  /** Characters of a caption under a file; undefined where a message's text and files go together (Discord). */
  captionLength: number | undefined;
  /** Bytes of one uploaded file here. */
  uploadBytes: number;
}

export interface FittedAnswer {
  text: string;
  /** The text goes as the first file's caption (else as a message of its own, before the files). */
  asCaption: boolean;
  files: OutgoingFile[];
  reviewId: string | undefined;
  suggestionsId?: string;
  feedback?: NonNullable<Answer['feedback']>;
  cancel?: NonNullable<Answer['cancel']>;
}

export const RESULT_FILE = 'result.txt';
const CUT_NOTE = `\n… (the whole result is in ${RESULT_FILE})`;

export function fitAnswer(answer: Answer, limits: PlatformLimits): FittedAnswer {
  const files = answer.files.filter((file) => fileSize(file) <= limits.uploadBytes);
  const notes = answer.files.filter((file) => fileSize(file) > limits.uploadBytes).map((file) => `(${file.name} is too large to upload here.)`);
  const whole = [answer.text, ...notes].filter((line) => line !== '').join('\n');
  const asCaption = files.length > 0 && limits.captionLength !== undefined && whole.length <= limits.captionLength;
  const fitted = fitText(whole, limits.messageLength);
  const resultFile: OutgoingFile[] = fitted.cut ? [{ name: RESULT_FILE, contentType: 'text/plain; charset=utf-8', bytes: Buffer.from(whole, 'utf8') }] : [];
  return { text: fitted.text, asCaption, files: [...files, ...resultFile], reviewId: answer.reviewId,
    ...(answer.suggestionsId === undefined ? {} : { suggestionsId: answer.suggestionsId }),
    ...(answer.feedback === undefined ? {} : { feedback: answer.feedback }),
    ...(answer.cancel === undefined ? {} : { cancel: answer.cancel }),
  };
}

/** Text cut at a line end (or hard) to `limit` characters, with a note saying where the rest is. */
export function fitText(text: string, limit: number): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false };
  const room = limit - CUT_NOTE.length;
  const lineEnd = text.lastIndexOf('\n', room);
  return { text: `${text.slice(0, lineEnd > room / 2 ? lineEnd : room)}${CUT_NOTE}`, cut: true };
}

/** Text for places that take no file (a progress line, a question): cut, and no promise of a file. */
export function shortText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function progressText(stage: string, percent: number): string {
  return `Working on it: ${stage} ${Math.round(percent)}%`;
}
