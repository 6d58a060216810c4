/** The bot's own messages in a chat (quick answers, working messages, questions with buttons), 429s retried. */
import type { Telegram } from 'telegraf';
import type { InlineKeyboardButton, Message } from 'telegraf/types';
import type { ReplyFile } from '../../commands/index.ts';
import type { Logger } from '../../core/logger.ts';
import { replyExtra, uploadReplyExtra } from './delivery.ts';
import { fitText, MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH } from './texts.ts';
import { telegramCall } from './transport-error.ts';

/** The message a command came in: where its answers go. */
export interface Origin {
  chatId: number;
  messageId: number;
  userId: number;
  threadId: number | undefined;
  message: Pick<Message, 'chat' | 'from' | 'sender_chat'>;
}

const BUTTONS_PER_ROW = 2;

function target(origin: Origin): { replyTo: number; threadId?: number } {
  return { replyTo: origin.messageId, ...(origin.threadId === undefined ? {} : { threadId: origin.threadId }) };
}

export class ChatReplies {
  constructor(private readonly telegram: Telegram, private readonly logger: Logger) {}

  text(origin: Origin, text: string): Promise<Message.TextMessage> {
    return telegramCall('sendMessage', () => this.telegram.sendMessage(origin.chatId, fitText(text, MAX_MESSAGE_LENGTH, '\n…').text, replyExtra(target(origin))));
  }

  /** Text with its files: pictures as photos (the text as the first one's caption when it fits), others as documents. */
  async answer(origin: Origin, text: string, files: readonly ReplyFile[]): Promise<void> {
    if (files.length === 0) {
      await this.text(origin, text);
      return;
    }
    const caption = text.length <= MAX_CAPTION_LENGTH ? text : undefined;
    if (caption === undefined) await this.text(origin, text);
    for (const [index, file] of files.entries()) {
      const extra = { ...uploadReplyExtra(target(origin)), ...(index === 0 && caption !== undefined ? { caption } : {}) };
      const media = { source: file.bytes, filename: file.name };
      if (file.contentType.startsWith('image/')) await telegramCall('sendPhoto', () => this.telegram.sendPhoto(origin.chatId, media, extra));
      else await telegramCall('sendDocument', () => this.telegram.sendDocument(origin.chatId, media, extra));
    }
  }

  async question(origin: Origin, text: string, buttons: InlineKeyboardButton.CallbackButton[]): Promise<void> {
    const rows: InlineKeyboardButton.CallbackButton[][] = [];
    for (let index = 0; index < buttons.length; index += BUTTONS_PER_ROW) rows.push(buttons.slice(index, index + BUTTONS_PER_ROW));
    await telegramCall('sendMessage', () => this.telegram.sendMessage(origin.chatId, text, { ...replyExtra(target(origin)), reply_markup: { inline_keyboard: rows } }));
  }

  async answerButton(queryId: string, text: string | undefined): Promise<void> {
    await telegramCall('answerCallbackQuery', () => this.telegram.answerCbQuery(queryId, text, { show_alert: text !== undefined })).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'button press not acknowledged');
    });
  }

  async removeButtons(chatId: number, messageId: number): Promise<void> {
    await telegramCall('editMessageReplyMarkup', () => this.telegram.editMessageReplyMarkup(chatId, messageId, undefined, undefined)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'buttons not removed');
    });
  }

  /** The question's buttons are removed and the choice shown, so it cannot be answered twice. */
  async closeQuestion(chatId: number, messageId: number, choice: string): Promise<void> {
    await telegramCall('editMessageText', () => this.telegram.editMessageText(chatId, messageId, undefined, `Chosen: ${choice}`)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'question not closed');
    });
  }
}
