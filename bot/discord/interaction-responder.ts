/**
 * Answers one slash or message command on Discord. Discord wants a first response within 3 seconds, and a
 * deferral's visibility can never change afterwards (its first follow-up becomes the deferred message, public if
 * the deferral was): so the command gets a moment to finish first, and a refusal within it is an ephemeral reply
 * that nobody else ever sees. Only work that takes longer is deferred, visibly as the command says.
 */
import { MessageFlags, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { textAnswer, type Answer } from '../../commands/index.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import { shortText } from '../shared/fit-answer.ts';
import type { Responder } from '../shared/command-runner.ts';
import { MAX_CONTENT_LENGTH, type DiscordSender } from './discord-sender.ts';
import { discordCall } from './transport-error.ts';

export type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/** Well inside Discord's 3 seconds, with room for a slow round trip. */
const DEFER_AFTER_MS = 1500;

export class InteractionResponder implements Responder {
  private acknowledged: Promise<void> | undefined;
  private resolved = false;
  private readonly deferTimer: NodeJS.Timeout;

  constructor(
    private readonly interaction: CommandInteraction,
    private readonly target: DiscordTarget,
    private readonly requestId: string,
    private readonly sender: DiscordSender,
    onDeferFailure: (error: unknown) => void,
  ) {
    this.deferTimer = setTimeout(() => void this.defer().catch(onDeferFailure), DEFER_AFTER_MS);
  }

  async answer(answer: Answer): Promise<void> {
    await this.defer();
    await this.sender.send(answer, this.target);
    this.resolved = true;
  }

  /** The working line carries a "Cancel" button for the person who asked. */
  async working(text: string): Promise<DiscordTarget> {
    await this.answer({ text, files: [], cancel: { userId: this.target.userId, requestId: this.requestId } });
    return this.target;
  }

  async refuse(notice: ErrorNotice): Promise<void> {
    clearTimeout(this.deferTimer);
    if (this.acknowledged === undefined) {
      this.acknowledged = discordCall('POST', 'interaction callback', () => this.interaction.reply({ content: shortText(notice.message, MAX_CONTENT_LENGTH), flags: MessageFlags.Ephemeral })).then(() => undefined);
      await this.acknowledged;
      return;
    }
    await this.acknowledged;
    if (this.target.privateAnswer) {
      await this.sender.send(textAnswer(notice.message), this.target);
      return;
    }
    if (!this.resolved) await this.sender.resolveDeferral(this.target);
    await this.sender.fail(notice, this.target);
  }

  private defer(): Promise<void> {
    clearTimeout(this.deferTimer);
    this.acknowledged ??= discordCall('POST', 'interaction callback', () => this.interaction.deferReply(this.target.privateAnswer ? { flags: MessageFlags.Ephemeral } : {})).then(() => undefined);
    return this.acknowledged;
  }
}
