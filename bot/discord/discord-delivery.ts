/**
 * Answers Discord interactions from any process over REST: progress and the result edit the deferred reply
 * (files attached); failures replace it with a message only the user sees. Once the interaction token has
 * expired (15 minutes), the result goes to the channel as a normal message that mentions the user.
 */
import { readFile } from 'node:fs/promises';
import { MessageFlags, REST, Routes, type APIActionRowComponent, type APIButtonComponent, type RawFile } from 'discord.js';
import type { Logger } from '../../core/logger.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, DiscordTarget, FailureNotice, JobProgress } from '../../workers/delivery/delivery.ts';
import type { JobAnswer } from '../../workers/results.ts';
import { reviewComponents } from './review-buttons.ts';
import { discordCall, DiscordTransportError } from './transport-error.ts';
import { progressText } from '../shared/texts.ts';
import { noticeOf } from '../../core/errors.ts';
import { fitContent } from './user-messages.ts';

export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** A call started this close to the end of the token's life might land after it. */
const TOKEN_MARGIN_MS = 30 * 1000;
const EXPIRED_TOKEN_CODES = new Set([10015, 50027, 10062]);
const MISSING_ACCESS_CODES = new Set([50001, 50013]);

interface OutgoingMessage {
  /** The whole text; each sender fits it to Discord's limit. */
  content: string;
  files: RawFile[];
  /** Buttons under the message (an image search's review). */
  components?: APIActionRowComponent<APIButtonComponent>[];
}

export class DiscordDelivery implements Delivery {
  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly tokenLifetimeMs = INTERACTION_TOKEN_LIFETIME_MS,
  ) {}

  static over(apiRoot: string, botToken: string, logger: Logger): DiscordDelivery {
    return new DiscordDelivery(new REST({ version: '10', api: apiRoot }).setToken(botToken), logger);
  }

  async progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    const target = discordTarget(request);
    if (!this.tokenAlive(target)) return;
    const content = progressText(progress.stage, progress.percent);
    await this.editOriginal(target, { content, files: [] }).catch((error: unknown) => {
      this.logger.warn({ err: error, request: request.id }, 'could not show progress on Discord');
    });
  }

  async deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    const target = discordTarget(request);
    return this.send(request, target, await outgoingAnswer(answer, target.uploadLimitBytes));
  }

  async fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    const target = discordTarget(request);
    const content = noticeOf(failure.code, failure.message).message;
    if (this.tokenAlive(target) && !target.privateAnswer) {
      try {
        await this.followUp(target, content, true);
        await this.deleteOriginal(target);
        return { via: 'ephemeral-follow-up' };
      } catch (error) {
        if (!isExpired(error)) throw error;
      }
    }
    return this.send(request, target, { content, files: [] });
  }

  private async send(request: DeliveryRequest, target: DiscordTarget, message: OutgoingMessage): Promise<DeliveryReceipt> {
    if (this.tokenAlive(target)) {
      try {
        await this.editOriginal(target, message);
        return { via: 'interaction' };
      } catch (error) {
        if (!isExpired(error)) throw error;
        this.logger.info({ request: request.id }, 'interaction token expired; answering in the channel');
      }
    }
    return this.postInChannel(request, target, message);
  }

  private async postInChannel(request: DeliveryRequest, target: DiscordTarget, message: OutgoingMessage): Promise<DeliveryReceipt> {
    const route = Routes.channelMessages(target.channelId);
    const body = { content: fitContent(`<@${target.userId}> ${message.content}`).content, allowed_mentions: { users: [target.userId] } };
    try {
      await discordCall('POST', route, () => this.rest.post(route, { body, files: message.files }));
      return { via: 'channel' };
    } catch (error) {
      if (error instanceof DiscordTransportError && error.discordCode !== undefined && MISSING_ACCESS_CODES.has(error.discordCode)) {
        this.logger.error({ request: request.id, channel: target.channelId, code: error.discordCode }, 'cannot post the answer: the bot lacks Send Messages / Attach Files in this channel, and the interaction token has expired');
        return { via: 'none', reason: 'missing-permission' };
      }
      throw error;
    }
  }

  private tokenAlive(target: DiscordTarget): boolean {
    return this.now() - target.createdAt < this.tokenLifetimeMs - TOKEN_MARGIN_MS;
  }

  private editOriginal(target: DiscordTarget, message: OutgoingMessage): Promise<unknown> {
    const route = Routes.webhookMessage(target.applicationId, target.interactionToken, '@original');
    const body = {
      content: fitContent(message.content).content, attachments: message.files.map((file, index) => ({ id: index, filename: file.name })),
      ...(message.components === undefined ? {} : { components: message.components }),
    };
    return discordCall('PATCH', route, () => this.rest.patch(route, { body, files: message.files, auth: false }));
  }

  private followUp(target: DiscordTarget, content: string, ephemeral: boolean): Promise<unknown> {
    const route = Routes.webhook(target.applicationId, target.interactionToken);
    const body = { content: fitContent(content).content, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
    return discordCall('POST', route, () => this.rest.post(route, { body, auth: false }));
  }

  private deleteOriginal(target: DiscordTarget): Promise<unknown> {
    const route = Routes.webhookMessage(target.applicationId, target.interactionToken, '@original');
    return discordCall('DELETE', route, () => this.rest.delete(route, { auth: false }));
  }
}

function discordTarget(request: DeliveryRequest): DiscordTarget {
  if (request.target.kind !== 'discord') throw new Error(`the Discord delivery got a ${request.target.kind} request`);
  return request.target;
}

function isExpired(error: unknown): boolean {
  return error instanceof DiscordTransportError && (error.status === 401 || (error.discordCode !== undefined && EXPIRED_TOKEN_CODES.has(error.discordCode)));
}

/** The answer's text and files; a file over the channel's limit is left out and said so; text too long goes as a file too. */
async function outgoingAnswer(answer: JobAnswer, uploadLimitBytes: number): Promise<OutgoingMessage> {
  const files: RawFile[] = [];
  const lines = [answer.text];
  for (const file of answer.files) {
    if (file.bytes > uploadLimitBytes) lines.push(`(${file.name} is too large to upload here.)`);
    else files.push({ name: file.name, data: await readFile(file.path), contentType: file.contentType });
  }
  const content = lines.join('\n');
  if (fitContent(content).cut) files.push({ name: 'result.txt', data: Buffer.from(content, 'utf8'), contentType: 'text/plain; charset=utf-8' });
  const components = reviewComponents(answer);
  return { content, files, ...(components === undefined ? {} : { components }) };
}
