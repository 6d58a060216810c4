/** Answers a press of a review button on Discord: the buttons go with the press, the outcome follows it. */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { Answer } from '../../commands/index.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import { shortText } from '../shared/fit-answer.ts';
import type { ButtonResponder } from '../shared/review-buttons.ts';
import { MAX_CONTENT_LENGTH, type DiscordSender } from './discord-sender.ts';
import { discordCall } from './transport-error.ts';

export class DiscordButtonResponder implements ButtonResponder {
  private updated = false;

  constructor(private readonly interaction: ButtonInteraction, private readonly target: DiscordTarget, private readonly sender: DiscordSender) {}

  async refuse(notice: ErrorNotice): Promise<void> {
    const message = { content: shortText(notice.message, MAX_CONTENT_LENGTH), flags: MessageFlags.Ephemeral } as const;
    if (this.updated) await discordCall('POST', 'follow-up', () => this.interaction.followUp(message));
    else await discordCall('POST', 'interaction callback', () => this.interaction.reply(message));
  }

  async removeButtons(): Promise<void> {
    await discordCall('POST', 'interaction callback', () => this.interaction.update({ components: [] }));
    this.updated = true;
  }

  async answer(answer: Answer): Promise<void> {
    await this.sender.send(answer, { ...this.target, asFollowUp: true });
  }
}
