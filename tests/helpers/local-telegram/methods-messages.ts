/** Text messages and what the bot does to its messages: send, edit, delete, chat actions, callback answers. */
import { badRequest, NOT_MODIFIED } from './api-error.ts';
import { botMessage, inlineMarkup, messageCaption, messageText, recordEdit, recordSent, sameMarkup } from './messages.ts';
import type { Params } from './params.ts';
import { unixTime, type LocalTelegramState, type MethodHandler } from './state.ts';
import type { LocalMessage } from './types.ts';

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

function chatOf(state: LocalTelegramState, params: Params) {
  return state.conversations.chat(params.string('chat_id'));
}

/** The bot's message an edit names; inline messages are not kept by the fake. */
function messageToEdit(state: LocalTelegramState, params: Params): LocalMessage {
  if (params.has('inline_message_id')) throw badRequest('message to edit not found');
  const chat = chatOf(state, params);
  const messageId = params.number('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = state.conversations.message(chat.id, messageId);
  if (message === undefined) throw badRequest('message to edit not found');
  if (message.from?.id !== state.bot.id) throw badRequest("message can't be edited");
  return message;
}

function saveEdit(state: LocalTelegramState, edited: LocalMessage): LocalMessage {
  state.conversations.keep(edited);
  recordEdit(state, edited);
  return edited;
}

const sendMessage: MethodHandler = (state, { method, params }) => {
  const chat = chatOf(state, params);
  const message = botMessage(state, chat, params, messageText(params));
  recordSent(state, method, message);
  return message;
};

/** Leaving reply_markup out of an edit removes the keyboard, as on Telegram. */
const editMessageText: MethodHandler = (state, { params }) => {
  const message = messageToEdit(state, params);
  if (message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { text, entities } = messageText(params);
  const markup = inlineMarkup(params);
  if (text === message.text && sameMarkup(markup, message.reply_markup)) throw badRequest(NOT_MODIFIED);
  const { reply_markup: _old, entities: _oldEntities, ...rest } = message;
  return saveEdit(state, { ...rest, text, ...(entities === undefined ? {} : { entities }), ...(markup === undefined ? {} : { reply_markup: markup }), edit_date: unixTime() });
};

const editMessageCaption: MethodHandler = (state, { params }) => {
  const message = messageToEdit(state, params);
  if (message.text !== undefined) throw badRequest('there is no caption in the message to edit');
  const caption = messageCaption(params);
  const markup = inlineMarkup(params);
  if ((caption.caption ?? '') === (message.caption ?? '') && sameMarkup(markup, message.reply_markup)) throw badRequest(NOT_MODIFIED);
  const { reply_markup: _old, caption: _oldCaption, caption_entities: _oldEntities, ...rest } = message;
  return saveEdit(state, { ...rest, ...caption, ...(markup === undefined ? {} : { reply_markup: markup }), edit_date: unixTime() });
};

const editMessageReplyMarkup: MethodHandler = (state, { params }) => {
  const message = messageToEdit(state, params);
  const markup = inlineMarkup(params);
  if (sameMarkup(markup, message.reply_markup)) throw badRequest(NOT_MODIFIED);
  const { reply_markup: _old, ...rest } = message;
  return saveEdit(state, { ...rest, ...(markup === undefined ? {} : { reply_markup: markup }), edit_date: unixTime() });
};

/** The bot deletes its own messages anywhere, users' messages in private chats, and in groups only as an admin. */
const deleteMessage: MethodHandler = (state, { params }) => {
  const chat = chatOf(state, params);
  const messageId = params.number('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = state.conversations.message(chat.id, messageId);
  if (message === undefined) throw badRequest('message to delete not found');
  const ownMessage = message.from?.id === state.bot.id;
  const botRole = state.conversations.role(chat.id, state.bot.id);
  if (!ownMessage && chat.type !== 'private' && botRole !== 'creator' && botRole !== 'administrator') throw badRequest("message can't be deleted");
  state.conversations.remove(chat.id, messageId);
  const record = state.sent.find((entry) => entry.chatId === chat.id && entry.message.message_id === messageId);
  if (record !== undefined) record.deleted = true;
  return true;
};

const sendChatAction: MethodHandler = (state, { params }) => {
  const action = params.string('action') ?? '';
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  const chat = chatOf(state, params);
  const threadId = params.number('message_thread_id');
  state.actions.push({ chatId: chat.id, action, time: Date.now(), ...(threadId === undefined ? {} : { messageThreadId: threadId }) });
  return true;
};

const answerCallbackQuery: MethodHandler = (state, { params }) => {
  const entry = state.callbacks.get(params.string('callback_query_id') ?? '');
  if (entry === undefined || entry.answer !== undefined) throw badRequest('query is too old and response timeout expired or query ID is invalid');
  const text = params.string('text');
  const url = params.string('url');
  entry.answer = { showAlert: params.flag('show_alert'), time: Date.now(), ...(text === undefined ? {} : { text }), ...(url === undefined ? {} : { url }) };
  return true;
};

export const MESSAGE_METHODS: Readonly<Record<string, MethodHandler>> = {
  sendMessage, editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage, sendChatAction, answerCallbackQuery,
};
