/**
 * Answers Telegram requests from any process through the Bot API: progress edits the bot's "working…" message
 * (with a chat action), the result replies to the user's message with its files (the answer's text as the
 * caption), and a failure replaces the working message with a short explanation.
 */
import { readFile } from 'node:fs/promises';
import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Logger } from '../../core/logger.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, FailureNotice, JobProgress, TelegramTarget } from '../../workers/delivery/delivery.ts';
import { pendingReviewId, type AnswerFile, type JobAnswer } from '../../workers/results.ts';
import { noticeOf } from '../../core/errors.ts';
import { reviewCallback } from './review-buttons.ts';
import { fitText, MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH, progressText } from './texts.ts';
import { telegramCall, TelegramTransportError } from './transport-error.ts';

/** sendPhoto takes photos up to 10 MB; larger labelled pictures go as documents (uncompressed, too). */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

type Sender = 'sendPhoto' | 'sendVideo' | 'sendDocument';
type ChatAction = 'upload_photo' | 'upload_video' | 'upload_document';

const ACTIONS: Record<Sender, ChatAction> = { sendPhoto: 'upload_photo', sendVideo: 'upload_video', sendDocument: 'upload_document' };

function senderOf(file: AnswerFile): Sender {
  if (file.role === 'labelled-video') return 'sendVideo';
  if (file.contentType.startsWith('image/') && file.bytes <= MAX_PHOTO_BYTES) return 'sendPhoto';
  return 'sendDocument';
}

export class TelegramDelivery implements Delivery {
  constructor(private readonly telegram: Telegram, private readonly logger: Logger) {}

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    const target = telegramTarget(request);
    await this.edit(target, progressText(progress.stage, progress.percent)).catch((error: unknown) => {
      this.logger.warn({ err: error, request: request.id }, 'could not show progress on Telegram');
    });
  }

  async deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    const target = telegramTarget(request);
    const sendable = answer.files.filter((file) => file.bytes <= target.uploadLimitBytes);
    const notes = answer.files.filter((file) => file.bytes > target.uploadLimitBytes).map((file) => `(${file.name} is too large to upload here.)`);
    const text = [answer.text, ...notes].join('\n');
    if (sendable.length === 0) return this.answerInWords(target, text);
    const caption = text.length <= MAX_CAPTION_LENGTH ? text : undefined;
    if (caption === undefined) await this.sendText(target, text);
    const buttons = reviewButtons(answer);
    for (const [index, file] of sendable.entries()) await this.sendFile(target, file, index === 0 ? caption : undefined, index === 0 ? buttons : undefined);
    await this.removeStatus(target);
    return { via: 'telegram', messages: sendable.length + (caption === undefined ? 1 : 0) };
  }

  async fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    return this.answerInWords(telegramTarget(request), noticeOf(failure.code, failure.message).message);
  }

  /** The working message becomes the answer; a new reply if it is gone. Too long: the start, and the whole as a file. */
  private async answerInWords(target: TelegramTarget, text: string): Promise<DeliveryReceipt> {
    const fitted = fitText(text, MAX_MESSAGE_LENGTH);
    try {
      await this.edit(target, fitted.text);
    } catch (error) {
      if (!(error instanceof TelegramTransportError && error.messageGone)) throw error;
      await this.sendText(target, fitted.text);
    }
    if (fitted.cut) await this.sendDocumentBytes(target, 'result.txt', Buffer.from(text, 'utf8'));
    return { via: 'telegram', messages: fitted.cut ? 2 : 1 };
  }

  private async edit(target: TelegramTarget, text: string): Promise<void> {
    try {
      await telegramCall('editMessageText', () => this.telegram.editMessageText(target.chatId, target.statusMessageId, undefined, text));
    } catch (error) {
      if (!(error instanceof TelegramTransportError && error.notModified)) throw error;
    }
  }

  private async sendText(target: TelegramTarget, text: string): Promise<void> {
    await telegramCall('sendMessage', () => this.telegram.sendMessage(target.chatId, fitText(text, MAX_MESSAGE_LENGTH).text, replyExtra(target)));
  }

  private async sendFile(target: TelegramTarget, file: AnswerFile, caption: string | undefined, markup?: InlineKeyboardMarkup): Promise<void> {
    const sender = senderOf(file);
    await telegramCall('sendChatAction', () => this.telegram.sendChatAction(target.chatId, ACTIONS[sender], threadExtra(target))).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'chat action not shown');
    });
    const media = { source: await readFile(file.path), filename: file.name };
    const extra = { ...uploadReplyExtra(target), ...(caption === undefined ? {} : { caption }), ...(markup === undefined ? {} : { reply_markup: markup }) };
    if (sender === 'sendVideo') await telegramCall(sender, () => this.telegram.sendVideo(target.chatId, media, { ...extra, supports_streaming: true }));
    else if (sender === 'sendPhoto') await telegramCall(sender, () => this.telegram.sendPhoto(target.chatId, media, extra));
    else await telegramCall(sender, () => this.telegram.sendDocument(target.chatId, media, extra));
  }

  private async sendDocumentBytes(target: TelegramTarget, name: string, bytes: Buffer): Promise<void> {
    await telegramCall('sendDocument', () => this.telegram.sendDocument(target.chatId, { source: bytes, filename: name }, uploadReplyExtra(target)));
  }

  private async removeStatus(target: TelegramTarget): Promise<void> {
    await telegramCall('deleteMessage', () => this.telegram.deleteMessage(target.chatId, target.statusMessageId)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'working message not removed');
    });
  }
}

/** An image search's answer carries "Accept all" and "Discard" buttons for its pending set. */
function reviewButtons(answer: JobAnswer): InlineKeyboardMarkup | undefined {
  const id = pendingReviewId(answer);
  if (id === undefined) return undefined;
  return { inline_keyboard: [[{ text: 'Accept all', callback_data: reviewCallback(id, 'accept') }, { text: 'Discard', callback_data: reviewCallback(id, 'discard') }]] };
}

function telegramTarget(request: DeliveryRequest): TelegramTarget {
  if (request.target.kind !== 'telegram') throw new Error(`the Telegram delivery got a ${request.target.kind} request`);
  return request.target;
}

function threadExtra(target: Pick<TelegramTarget, 'threadId'>): { message_thread_id?: number } {
  return target.threadId === undefined ? {} : { message_thread_id: target.threadId };
}

/**
 * The same for uploads: telegraf 4.16 turns object fields of a multipart request into file parts, so
 * reply_parameters must travel as its JSON text (which is how the Bot API reads multipart fields anyway).
 */
export function uploadReplyExtra(target: Pick<TelegramTarget, 'replyTo' | 'threadId'>): ReturnType<typeof replyExtra> {
  const { reply_parameters: parameters, ...rest } = replyExtra(target);
  const asText: unknown = JSON.stringify(parameters);
  return { ...rest, reply_parameters: asText as typeof parameters };
}

/** Replies to the user's message (still sent if that message was deleted meanwhile). */
export function replyExtra(target: Pick<TelegramTarget, 'replyTo' | 'threadId'>): { reply_parameters: { message_id: number; allow_sending_without_reply: true }; message_thread_id?: number } {
  return { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true }, ...threadExtra(target) };
}
