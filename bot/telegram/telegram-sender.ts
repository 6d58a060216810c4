/**
 * Everything the bot says in a Telegram chat goes through here, from the bot or from any worker: an answer replies
 * to the person's message with its files (the text as the first one's caption when it fits), or replaces the bot's
 * "working" message when it is words only; a text cut at Telegram's limit comes whole as result.txt.
 */
import { readFile } from 'node:fs/promises';
import type { Telegram } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { Answer, OutgoingFile } from '../../commands/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeliveryReceipt, TelegramTarget } from '../../workers/delivery/delivery.ts';
import { fitAnswer, shortText, type FittedAnswer, type PlatformLimits } from '../shared/fit-answer.ts';
import { answerButtonRows } from '../shared/answer-buttons.ts';
import { CANCEL_LABEL } from '../shared/cancel-buttons.ts';
import { telegramCall, TelegramTransportError } from './transport-error.ts';

const MAX_MESSAGE_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
/** sendPhoto takes photos up to 10 MB; larger labelled pictures go as documents (uncompressed, too). */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const BUTTONS_PER_ROW = 2;

/** Where an answer goes: a reply to the person's message; `statusMessageId` is the bot's "working" message, if any. */
export type TelegramWhere = Omit<TelegramTarget, 'kind' | 'statusMessageId'> & { statusMessageId?: number };

type Sender = 'sendPhoto' | 'sendVideo' | 'sendDocument';
const ACTIONS = { sendPhoto: 'upload_photo', sendVideo: 'upload_video', sendDocument: 'upload_document' } as const;

function telegramLimits(where: Pick<TelegramWhere, 'uploadLimitBytes'>): PlatformLimits {
  return { messageLength: MAX_MESSAGE_LENGTH, captionLength: MAX_CAPTION_LENGTH, uploadBytes: where.uploadLimitBytes };
}

export class TelegramSender {
  constructor(private readonly telegram: Telegram, private readonly logger: Logger) {}

  /** The one way an answer reaches a chat. */
  async send(answer: Answer, where: TelegramWhere): Promise<DeliveryReceipt> {
    const fitted = fitAnswer(answer, telegramLimits(where));
    const markup = reviewMarkup(fitted);
    if (fitted.files.length === 0) {
      await this.replaceStatus(where, fitted.text, markup);
      return { via: 'telegram', messages: 1 };
    }
    const underFile = buttonsFile(fitted);
    if (!fitted.asCaption) await this.sendText(where, fitted.text, underFile === -1 ? markup : undefined);
    for (const [index, file] of fitted.files.entries()) {
      const first = index === 0 && fitted.asCaption;
      await this.sendFile(where, file, first ? fitted.text : undefined, index === underFile ? markup : undefined);
    }
    await this.removeStatus(where);
    return { via: 'telegram', messages: fitted.files.length + (fitted.asCaption ? 0 : 1) };
  }

  /** A message of its own (a "working" line, a question with buttons); returns its id. */
  async post(where: TelegramWhere, text: string, buttons: readonly InlineKeyboardButton.CallbackButton[] = []): Promise<number> {
    const markup = buttons.length === 0 ? {} : { reply_markup: buttonsMarkup(buttons) };
    const sent = await telegramCall('sendMessage', () => this.telegram.sendMessage(where.chatId, shortText(text, MAX_MESSAGE_LENGTH), { ...replyExtra(where), ...markup }));
    return sent.message_id;
  }

  /** Progress in the "working" message, its "Cancel" button kept (an edit without it drops it); never fails the work. */
  async progress(where: TelegramWhere, text: string): Promise<void> {
    if (where.statusMessageId === undefined) return;
    const markup = where.cancelButton === undefined ? undefined : buttonsMarkup([{ text: CANCEL_LABEL, callback_data: where.cancelButton }]);
    await this.edit(where.chatId, where.statusMessageId, shortText(text, MAX_MESSAGE_LENGTH), markup).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not show progress on Telegram');
    });
  }

  /** The working message becomes the answer; a new reply if there is none or it is gone. */
  private async replaceStatus(where: TelegramWhere, text: string, markup: InlineKeyboardMarkup | undefined): Promise<void> {
    if (where.statusMessageId !== undefined) {
      try {
        await this.edit(where.chatId, where.statusMessageId, text, markup);
        return;
      } catch (error) {
        if (!(error instanceof TelegramTransportError && error.messageGone)) throw error;
      }
    }
    await this.sendText(where, text, markup);
  }

  private async edit(chatId: number, messageId: number, text: string, markup?: InlineKeyboardMarkup): Promise<void> {
    try {
      await telegramCall('editMessageText', () => this.telegram.editMessageText(chatId, messageId, undefined, text, markup === undefined ? {} : { reply_markup: markup }));
    } catch (error) {
      if (!(error instanceof TelegramTransportError && error.notModified)) throw error;
    }
  }

  private async sendText(where: TelegramWhere, text: string, markup: InlineKeyboardMarkup | undefined): Promise<void> {
    await telegramCall('sendMessage', () => this.telegram.sendMessage(where.chatId, text, { ...replyExtra(where), ...(markup === undefined ? {} : { reply_markup: markup }) }));
  }

  private async sendFile(where: TelegramWhere, file: OutgoingFile, caption: string | undefined, markup: InlineKeyboardMarkup | undefined): Promise<void> {
    const sender = senderOf(file);
    await telegramCall('sendChatAction', () => this.telegram.sendChatAction(where.chatId, ACTIONS[sender], threadExtra(where))).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'chat action not shown');
    });
    const media = { source: 'bytes' in file ? file.bytes : await readFile(file.path), filename: file.name };
    const extra = { ...uploadReplyExtra(where), ...(caption === undefined ? {} : { caption }), ...(markup === undefined ? {} : { reply_markup: markup }) };
    if (sender === 'sendVideo') await telegramCall(sender, () => this.telegram.sendVideo(where.chatId, media, { ...extra, supports_streaming: true }));
    else if (sender === 'sendPhoto') await telegramCall(sender, () => this.telegram.sendPhoto(where.chatId, media, extra));
    else await telegramCall(sender, () => this.telegram.sendDocument(where.chatId, media, extra));
  }

  private async removeStatus(where: TelegramWhere): Promise<void> {
    const { statusMessageId } = where;
    if (statusMessageId === undefined) return;
    await telegramCall('deleteMessage', () => this.telegram.deleteMessage(where.chatId, statusMessageId)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'working message not removed');
    });
  }
}

function senderOf(file: OutgoingFile): Sender {
  if (file.video === true) return 'sendVideo';
  const size = 'bytes' in file ? file.bytes.length : file.size;
  if (file.contentType.startsWith('image/') && size <= MAX_PHOTO_BYTES) return 'sendPhoto';
  return 'sendDocument';
}

function buttonsMarkup(buttons: readonly InlineKeyboardButton.CallbackButton[]): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton.CallbackButton[][] = [];
  for (let index = 0; index < buttons.length; index += BUTTONS_PER_ROW) rows.push(buttons.slice(index, index + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}

/** Which file the buttons go under: a correctable answer's labelled picture, else the one the text is the caption of (-1: the text). */
function buttonsFile(fitted: FittedAnswer): number {
  const picture = fitted.feedback?.picture;
  const index = picture === undefined ? -1 : fitted.files.findIndex((file) => file.name === picture);
  if (index !== -1) return index;
  return fitted.asCaption ? 0 : -1;
}

/** The answer's buttons (review, corrections, "Cancel"), row by row. */
function reviewMarkup(fitted: FittedAnswer): InlineKeyboardMarkup | undefined {
  const rows = answerButtonRows(fitted);
  return rows.length === 0 ? undefined : { inline_keyboard: rows.map((row) => row.map((button) => ({ text: button.label, callback_data: button.data }))) };
}

function threadExtra(where: Pick<TelegramWhere, 'threadId'>): { message_thread_id?: number } {
  return where.threadId === undefined ? {} : { message_thread_id: where.threadId };
}

/** Replies to the person's message (still sent if that message was deleted meanwhile). */
function replyExtra(where: Pick<TelegramWhere, 'replyTo' | 'threadId'>): { reply_parameters: { message_id: number; allow_sending_without_reply: true }; message_thread_id?: number } {
  return { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true }, ...threadExtra(where) };
}

/**
 * The same for uploads: telegraf 4.16 turns object fields of a multipart request into file parts, so
 * reply_parameters must travel as its JSON text (which is how the Bot API reads multipart fields anyway).
 */
function uploadReplyExtra(where: Pick<TelegramWhere, 'replyTo' | 'threadId'>): ReturnType<typeof replyExtra> {
  const { reply_parameters: parameters, ...rest } = replyExtra(where);
  const asText: unknown = JSON.stringify(parameters);
  return { ...rest, reply_parameters: asText as typeof parameters };
}
