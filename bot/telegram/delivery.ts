/** Answers Telegram requests from any worker process: the job's answer, progress and failure, through the sender. */
import type { Telegram } from 'telegraf';
import { noticeOf } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, FailureNotice, JobProgress, TelegramTarget } from '../../workers/delivery/delivery.ts';
import type { JobAnswer } from '../../workers/results.ts';
import { progressText } from '../shared/fit-answer.ts';
import { answerOfJob } from '../shared/job-answer.ts';
import { TelegramSender } from './telegram-sender.ts';

export class TelegramDelivery implements Delivery {
  private readonly sender: TelegramSender;

  constructor(telegram: Telegram, logger: Logger) {
    this.sender = new TelegramSender(telegram, logger);
  }

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    await this.sender.progress(telegramTarget(request), progressText(progress.stage, progress.percent));
  }

  deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    return this.sender.send(answerOfJob(answer), telegramTarget(request));
  }

  /** The working message becomes the explanation. */
  fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    return this.sender.send({ text: noticeOf(failure.code, failure.message).message, files: [] }, telegramTarget(request));
  }
}

function telegramTarget(request: DeliveryRequest): TelegramTarget {
  if (request.target.kind !== 'telegram') throw new Error(`the Telegram delivery got a ${request.target.kind} request`);
  return request.target;
}
