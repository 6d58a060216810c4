/**
 * Everything the bot says on Discord after the interaction's first response goes through here, from the bot or
 * from any worker: over REST with the interaction token, the answer edits the original response (files attached);
 * once the token has expired (15 minutes), it goes to the channel as a message that mentions the user.
 */
import { readFile } from 'node:fs/promises';
import { MessageFlags, Routes, type APIActionRowComponent, type APIButtonComponent, type RawFile, type REST } from 'discord.js';
import type { Answer, OutgoingFile } from '../../commands/answer.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeliveryReceipt, DiscordTarget } from '../../workers/delivery/delivery.ts';
import { fitAnswer, shortText, type PlatformLimits } from '../shared/fit-answer.ts';
import { answerButtonRows } from '../shared/answer-buttons.ts';
import { buttonComponents } from './review-buttons.ts';
import { discordCall, DiscordTransportError } from './transport-error.ts';

const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** Discord's content limit per message. */
export const MAX_CONTENT_LENGTH = 2000;
/** A call started this close to the end of the token's life might land after it. */
const TOKEN_MARGIN_MS = 30 * 1000;
const EXPIRED_TOKEN_CODES = new Set([10015, 50027, 10062]);
const MISSING_ACCESS_CODES = new Set([50001, 50013]);

interface OutgoingMessage {
  content: string;
  files: RawFile[];
  /** The buttons under it; none clears those an earlier edit left (a working message's "Cancel"). */
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** Where an answer goes: the interaction's original response, or a new follow-up message (after a button's update). */
export type DiscordWhere = DiscordTarget & { asFollowUp?: boolean };

function discordLimits(target: Pick<DiscordTarget, 'uploadLimitBytes'>): PlatformLimits {
  return { messageLength: MAX_CONTENT_LENGTH, captionLength: undefined, uploadBytes: target.uploadLimitBytes };
}

export class DiscordSender {
  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly tokenLifetimeMs = INTERACTION_TOKEN_LIFETIME_MS,
  ) {}

  /** The one way an answer reaches Discord: the original response becomes it (the channel, after the token's life). */
  async send(answer: Answer, target: DiscordWhere): Promise<DeliveryReceipt> {
    const message = await outgoing(answer, target);
    if (this.tokenAlive(target)) {
      try {
        if (target.asFollowUp === true) await this.followUp(target, message, false);
        else await this.editOriginal(target, message);
        return { via: 'interaction' };
      } catch (error) {
        if (!isExpired(error)) throw error;
        this.logger.info('interaction token expired; answering in the channel');
      }
    }
    return this.postInChannel(target, message);
  }

  /** A line of progress in the original response, while the token lives; never fails the work. */
  async progress(text: string, target: DiscordTarget): Promise<void> {
    if (!this.tokenAlive(target)) return;
    await this.editOriginal(target, { content: shortText(text, MAX_CONTENT_LENGTH), files: [] }).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not show progress on Discord');
    });
  }

  /**
   * A failure only the user sees. The original response must already be resolved (a "working" text, not the
   * deferral's "thinking"): Discord turns the first follow-up after a deferral into the original, public if it was.
   */
  async fail(notice: ErrorNotice, target: DiscordTarget): Promise<DeliveryReceipt> {
    if (this.tokenAlive(target) && !target.privateAnswer) {
      try {
        await this.followUp(target, { content: shortText(notice.message, MAX_CONTENT_LENGTH), files: [], components: [] }, true);
        await this.deleteOriginal(target);
        return { via: 'ephemeral-follow-up' };
      } catch (error) {
        if (!isExpired(error)) throw error;
      }
    }
    return this.send({ text: notice.message, files: [] }, target);
  }

  /** Resolves a public deferral with a neutral line, so that a private follow-up can come after it. */
  async resolveDeferral(target: DiscordTarget): Promise<void> {
    await this.editOriginal(target, { content: '…', files: [], components: [] });
  }

  private async postInChannel(target: DiscordTarget, message: OutgoingMessage): Promise<DeliveryReceipt> {
    const route = Routes.channelMessages(target.channelId);
    const content = shortText(`<@${target.userId}> ${message.content}`, MAX_CONTENT_LENGTH);
    const body = { content, allowed_mentions: { users: [target.userId] } };
    try {
      await discordCall('POST', route, () => this.rest.post(route, { body, files: message.files }));
      return { via: 'channel' };
    } catch (error) {
      if (error instanceof DiscordTransportError && error.discordCode !== undefined && MISSING_ACCESS_CODES.has(error.discordCode)) {
        this.logger.error({ channel: target.channelId, code: error.discordCode }, 'cannot post the answer: the bot lacks Send Messages / Attach Files in this channel, and the interaction token has expired');
        return { via: 'none', reason: 'missing-permission' };
      }
      throw error;
    }
  }

  private tokenAlive(target: DiscordTarget): boolean {
    return this.now() - target.createdAt < this.tokenLifetimeMs - TOKEN_MARGIN_MS;
  }

  /**
   * `attachments` lists every file the message keeps (API v10): the new ones, so that earlier files go. Without
   * `components` (progress) the buttons stay as they are: Discord keeps what an edit leaves out.
   */
  private editOriginal(target: DiscordTarget, message: Omit<OutgoingMessage, 'components'> & Partial<Pick<OutgoingMessage, 'components'>>): Promise<unknown> {
    const route = Routes.webhookMessage(target.applicationId, target.interactionToken, '@original');
    const body = {
      content: message.content, attachments: message.files.map((file, index) => ({ id: index, filename: file.name })),
      ...(message.components === undefined ? {} : { components: message.components }),
    };
    return discordCall('PATCH', route, () => this.rest.patch(route, { body, files: message.files, auth: false }));
  }

  private followUp(target: DiscordTarget, message: OutgoingMessage, ephemeral: boolean): Promise<unknown> {
    const route = Routes.webhook(target.applicationId, target.interactionToken);
    const body = {
      content: message.content, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      ...(message.components.length === 0 ? {} : { components: message.components }),
    };
    return discordCall('POST', route, () => this.rest.post(route, { body, files: message.files, auth: false }));
  }

  private deleteOriginal(target: DiscordTarget): Promise<unknown> {
    const route = Routes.webhookMessage(target.applicationId, target.interactionToken, '@original');
    return discordCall('DELETE', route, () => this.rest.delete(route, { auth: false }));
  }
}

function isExpired(error: unknown): boolean {
  return error instanceof DiscordTransportError && (error.status === 401 || (error.discordCode !== undefined && EXPIRED_TOKEN_CODES.has(error.discordCode)));
}

async function outgoing(answer: Answer, target: DiscordTarget): Promise<OutgoingMessage> {
  const fitted = fitAnswer(answer, discordLimits(target));
  const files = await Promise.all(fitted.files.map(rawFile));
  const components = buttonComponents(answerButtonRows(fitted));
  return { content: fitted.text, files, components };
}

async function rawFile(file: OutgoingFile): Promise<RawFile> {
  return { name: file.name, contentType: file.contentType, data: 'bytes' in file ? file.bytes : await readFile(file.path) };
}
