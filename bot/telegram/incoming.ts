/** What the bot reads from an incoming message: its text, where answers go, its media; and errors made safe to log. */
import type { Message } from 'telegraf/types';
import type { Command, RawOptions } from '../../commands/index.ts';
import type { MessageMedia } from '../../commands/text-grammar.ts';
import { IdolensError } from '../../core/errors.ts';
import type { Origin } from './chat-responder.ts';
import { mediaOf } from './message-media.ts';
import { redactToken } from './transport-error.ts';

export type Incoming = Message & { media_group_id?: string | undefined; reply_to_message?: Message | undefined };

export function textOf(message: Message): string {
  if ('text' in message) return message.text;
  if ('caption' in message) return message.caption ?? '';
  return '';
}

export function originOf(message: Incoming): Origin {
  const threadId = 'message_thread_id' in message && message.is_topic_message === true ? message.message_thread_id : undefined;
  return { chatId: message.chat.id, messageId: message.message_id, userId: message.from?.id ?? 0, threadId, message };
}

export function collectMedia(messages: readonly Message[]): MessageMedia {
  const images = messages.flatMap((message) => mediaOf(message, 'image') ?? []);
  const video = messages.map((message) => mediaOf(message, 'video')).find((found) => found !== undefined);
  const archive = messages.map((message) => mediaOf(message, 'archive')).find((found) => found !== undefined);
  return { images, video, archive };
}

/** A command that works on a file, typed without one: the person is shown how to send it. */
export function requireMedia(command: Command, options: RawOptions): void {
  const option = command.text?.needsMedia;
  if (option !== undefined && options[option] === undefined) throw new IdolensError('no_media', `Send it like this: ${usageOf(command)}.`);
}

function usageOf(command: Command): string {
  return `/${command.name}${command.text?.usage ? ` ${command.text.usage}` : ''}`;
}

export function redactedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const copy = new Error(redactToken(error.message));
  copy.name = error.name;
  copy.stack = redactToken(error.stack ?? '');
  return copy;
}

/** The old and new chat id when a group became a supergroup (the service message in either chat). */
export function migrationOf(message: Message): { from: number; to: number } | undefined {
  if ('migrate_to_chat_id' in message) return { from: message.chat.id, to: message.migrate_to_chat_id };
  if ('migrate_from_chat_id' in message) return { from: message.migrate_from_chat_id, to: message.chat.id };
  return undefined;
}
