/** Building the bot's messages from a send call: reply target, inline keyboard, text limits and entities. */
import type { Chat, InlineKeyboardMarkup, MessageEntity } from 'telegraf/types';
import { badRequest } from './api-error.ts';
import type { StoredFile } from './files.ts';
import type { Params } from './params.ts';
import { botAsUser, unixTime, type LocalTelegramState } from './state.ts';
import type { LocalMessage, SentRecord } from './types.ts';

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
const BUTTON_ACTIONS = ['callback_data', 'url', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay'];

/** Telegram marks a leading /command (with an optional @botname) as a bot_command entity. */
export function commandEntities(text: string | undefined): MessageEntity[] | undefined {
  const match = text === undefined ? null : /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : undefined;
}

/** A reply_to_message never carries its own reply_to_message. */
export function withoutNestedReply(message: LocalMessage): LocalMessage {
  const { reply_to_message: _nested, ...rest } = message;
  return rest;
}

/** The inline keyboard a message will carry; other keyboards (reply, remove, force_reply) are not part of a message. */
export function inlineMarkup(params: Params): InlineKeyboardMarkup | undefined {
  const markup = params.json('reply_markup');
  if (typeof markup !== 'object' || markup === null || !('inline_keyboard' in markup)) return undefined;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  for (const button of (rows as unknown[][]).flat()) checkButton(button);
  return { inline_keyboard: rows as InlineKeyboardMarkup['inline_keyboard'] };
}

function checkButton(button: unknown): void {
  if (typeof button !== 'object' || button === null || !('text' in button) || typeof button.text !== 'string') {
    throw badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
  }
  if (!BUTTON_ACTIONS.some((action) => action in button)) throw badRequest('text buttons are unallowed in the inline keyboard');
  if ('callback_data' in button) {
    const data = String(button.callback_data);
    const bytes = Buffer.byteLength(data, 'utf8');
    if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
  }
}

/** The message a send replies to (reply_parameters, or the older reply_to_message_id). */
function replyTarget(state: LocalTelegramState, chat: Chat, params: Params): LocalMessage | undefined {
  const parameters = params.json('reply_parameters');
  const given = typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>) : {};
  const messageId = typeof given.message_id === 'number' ? given.message_id : params.number('reply_to_message_id');
  if (messageId === undefined) return undefined;
  const allowWithout = given.allow_sending_without_reply === true || params.flag('allow_sending_without_reply');
  const target = state.conversations.message(chat.id, messageId);
  if (target === undefined && !allowWithout) throw badRequest('message to be replied not found');
  return target && withoutNestedReply(target);
}

export function messageText(params: Params): { text: string; entities?: MessageEntity[] } {
  const text = params.string('text') ?? '';
  if (text.trim() === '') throw badRequest('message text is empty');
  if (text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  const entities = (params.json('entities') as MessageEntity[] | undefined) ?? commandEntities(text);
  return entities === undefined ? { text } : { text, entities };
}

export function messageCaption(params: Params): { caption?: string; caption_entities?: MessageEntity[] } {
  const caption = params.string('caption');
  if (caption === undefined || caption === '') return {};
  if (caption.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
  const entities = (params.json('caption_entities') as MessageEntity[] | undefined) ?? commandEntities(caption);
  return entities === undefined ? { caption } : { caption, caption_entities: entities };
}

/** A new message from the bot in `chat`, with the call's reply target, thread and inline keyboard. */
export function botMessage(state: LocalTelegramState, chat: Chat, params: Params, content: Partial<LocalMessage>): LocalMessage {
  const reply = replyTarget(state, chat, params);
  const markup = inlineMarkup(params);
  const threadId = params.number('message_thread_id');
  return state.conversations.keep({
    message_id: state.conversations.nextMessageId(chat.id),
    from: botAsUser(state.bot),
    chat,
    date: unixTime(),
    ...(threadId === undefined ? {} : { message_thread_id: threadId }),
    ...(reply === undefined ? {} : { reply_to_message: reply }),
    ...content,
    ...(markup === undefined ? {} : { reply_markup: markup }),
  });
}

export function recordSent(state: LocalTelegramState, method: string, message: LocalMessage, file?: StoredFile): SentRecord {
  const record: SentRecord = {
    method, chatId: message.chat.id, message, text: message.text ?? message.caption, replyMarkup: message.reply_markup, edits: 0, deleted: false,
    ...(file === undefined ? {} : { fileId: file.fileId, bytes: state.files.bytesOf(file) }),
  };
  state.sent.push(record);
  return record;
}

/** Keeps the sent record in step with an edit. */
export function recordEdit(state: LocalTelegramState, message: LocalMessage): void {
  const record = state.sent.find((entry) => entry.chatId === message.chat.id && entry.message.message_id === message.message_id);
  if (record === undefined) return;
  record.message = message;
  record.text = message.text ?? message.caption;
  record.replyMarkup = message.reply_markup;
  record.edits += 1;
}

export function sameMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
