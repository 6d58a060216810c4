/**
 * How a command reads as typed text, where a platform has no option fields (Telegram): "/enroll TWICE Nayeon",
 * "/forget TWICE Nayeon 3". Each command declares its own grammar with these pieces.
 */
import { IdolensError } from '../core/errors.ts';
import type { Attachment, RawOptions } from './option-values.ts';

/** The media that came with a typed command (its own, its album's, or the message it replies to). */
export interface MessageMedia {
  images: Attachment[];
  video: Attachment | undefined;
  archive: Attachment | undefined;
  /** The bot's answer a typed command replies to, when it can be corrected (its id). */
  answerId?: string;
}

export interface TextGrammar {
  /** How to type it, after the command's name: "[group] as the caption of a photo, or as a reply to one". */
  usage: string;
  parse(words: string[], media: MessageMedia): RawOptions;
  /** The option that must carry a file: without it the person is shown how to send one. */
  needsMedia?: string;
  /** In a private chat, a picture or clip sent without a command runs this command. */
  plainMedia?: 'image' | 'video';
  /** A question the person answers before it runs (something that cannot be undone). */
  confirm?(options: RawOptions): string | undefined;
}

const QUOTED_OR_WORD = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;

/** Words, with "quoted names" kept whole. */
export function words(text: string): string[] {
  return [...text.matchAll(QUOTED_OR_WORD)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').filter((word) => word !== '');
}

export function usageError(name: string, usage: string): IdolensError {
  return new IdolensError('invalid_option', `Use it like this: /${name} ${usage}`);
}

/** "[group] <member>": one word is the member; more, the first is the group (quote names with spaces). */
export function groupAndMember(words: string[], refuse: () => IdolensError): { group?: string; member: string } {
  const [first, ...rest] = words;
  if (first === undefined) throw refuse();
  return rest.length === 0 ? { member: first } : { group: first, member: rest.join(' ') };
}

export function optionalGroup(words: string[]): RawOptions {
  return words.length === 0 ? {} : { group: words.join(' ') };
}
