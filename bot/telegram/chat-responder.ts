/** Answers one command, or one press of a review button, in a Telegram chat. */
import type { Telegram } from 'telegraf';
import type { Message } from 'telegraf/types';
import { textAnswer, type Answer } from '../../commands/index.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { TelegramTarget } from '../../workers/delivery/delivery.ts';
import type { Responder } from '../shared/command-runner.ts';
import { CANCEL_LABEL, cancelButtonData, type CancelChoice } from '../shared/cancel-buttons.ts';
import type { ButtonResponder } from '../shared/review-buttons.ts';
import type { TelegramSender, TelegramWhere } from './telegram-sender.ts';
import { telegramCall } from './transport-error.ts';

/** The message a command came in: where its answers go. */
export interface Origin {
  chatId: number;
  messageId: number;
  userId: number;
  threadId: number | undefined;
  message: Pick<Message, 'chat' | 'from' | 'sender_chat'>;
}

export function whereOf(origin: Origin, uploadLimitBytes: number): TelegramWhere {
  return { chatId: origin.chatId, replyTo: origin.messageId, ...(origin.threadId === undefined ? {} : { threadId: origin.threadId }), uploadLimitBytes };
}

/** Every answer replies to the person's message, so a refusal in a group is addressed to them. */
export class ChatResponder implements Responder {
  private statusMessageId: number | undefined;

  constructor(private readonly sender: TelegramSender, private readonly where: TelegramWhere, private readonly cancel: CancelChoice) {}

  async answer(answer: Answer): Promise<void> {
    await this.sender.send(answer, this.current());
  }

  /** The working message carries a "Cancel" button for the person who asked; progress edits keep it. */
  async working(text: string): Promise<TelegramTarget> {
    const cancelButton = cancelButtonData(this.cancel);
    this.statusMessageId = await this.sender.post(this.where, text, [{ text: CANCEL_LABEL, callback_data: cancelButton }]);
    return { kind: 'telegram', ...this.where, statusMessageId: this.statusMessageId, cancelButton };
  }

  /** After a "working" message (the job could not be queued), the refusal replaces it. */
  async refuse(notice: ErrorNotice): Promise<void> {
    await this.sender.send(textAnswer(notice.message), this.current());
  }

  private current(): TelegramWhere {
    return this.statusMessageId === undefined ? this.where : { ...this.where, statusMessageId: this.statusMessageId };
  }
}

/** A button press is acknowledged at once; a refusal before anything happens is an alert only the presser sees. */
export class ChatButtonResponder implements ButtonResponder {
  private acknowledged = false;

  constructor(
    private readonly telegram: Telegram,
    private readonly sender: TelegramSender,
    private readonly queryId: string,
    private readonly where: TelegramWhere & { buttonsMessageId: number },
    private readonly logger: Logger,
  ) {}

  async refuse(notice: ErrorNotice): Promise<void> {
    if (!this.acknowledged) await this.acknowledge(notice.message);
    else await this.sender.send(textAnswer(notice.message), this.where);
  }

  async removeButtons(): Promise<void> {
    await this.acknowledge(undefined);
    await telegramCall('editMessageReplyMarkup', () => this.telegram.editMessageReplyMarkup(this.where.chatId, this.where.buttonsMessageId, undefined, undefined)).catch((error: unknown) => {
      this.logger.debug({ err: error }, 'buttons not removed');
    });
  }

  async answer(answer: Answer): Promise<void> {
    await this.sender.send(answer, this.where);
  }

  private async acknowledge(alert: string | undefined): Promise<void> {
    this.acknowledged = true;
    await answerButton(this.telegram, this.queryId, alert, this.logger);
  }
}

export async function answerButton(telegram: Telegram, queryId: string, alert: string | undefined, logger: Logger): Promise<void> {
  await telegramCall('answerCallbackQuery', () => telegram.answerCbQuery(queryId, alert, { show_alert: alert !== undefined })).catch((error: unknown) => {
    logger.debug({ err: error }, 'button press not acknowledged');
  });
}
