/** Answers Discord requests from any worker process: the job's answer, progress and failure, through the sender. */
import { REST } from 'discord.js';
import type { Logger } from '../../core/logger.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, DiscordTarget, FailureNotice, JobProgress } from '../../workers/delivery/delivery.ts';
import type { JobAnswer } from '../../workers/results.ts';
import { noticeOf } from '../../core/errors.ts';
import { answerOfJob } from '../shared/job-answer.ts';
import { progressText } from '../shared/fit-answer.ts';
import { DiscordSender } from './discord-sender.ts';

export class DiscordDelivery implements Delivery {
  constructor(private readonly sender: DiscordSender) {}

  static over(apiRoot: string, botToken: string, logger: Logger): DiscordDelivery {
    return new DiscordDelivery(new DiscordSender(new REST({ version: '10', api: apiRoot }).setToken(botToken), logger));
  }

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    await this.sender.progress(progressText(progress.stage, progress.percent), discordTarget(request));
  }

  deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    return this.sender.send(answerOfJob(answer), discordTarget(request));
  }

  fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    return this.sender.fail(noticeOf(failure.code, failure.message), discordTarget(request));
  }
}

function discordTarget(request: DeliveryRequest): DiscordTarget {
  if (request.target.kind !== 'discord') throw new Error(`the Discord delivery got a ${request.target.kind} request`);
  return request.target;
}
