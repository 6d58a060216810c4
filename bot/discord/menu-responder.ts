/**
 * Answers the last choice of a private menu (the correction's "who is it?") in that menu's own message: the menu
 * becomes the "working" line, then the worker's answer (an update of a component's message makes it the
 * interaction's original response), so the fan sees one message change and no stale menu stays behind.
 */
import type { StringSelectMenuInteraction } from 'discord.js';
import { textAnswer, type Answer } from '../../commands/index.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import type { Responder } from '../shared/command-runner.ts';
import { shortText } from '../shared/fit-answer.ts';
import { MAX_CONTENT_LENGTH, type DiscordSender } from './discord-sender.ts';
import { discordCall } from './transport-error.ts';

export class MenuResponder implements Responder {
  private acknowledged = false;

  constructor(
    private readonly interaction: StringSelectMenuInteraction,
    private readonly target: DiscordTarget,
    private readonly requestId: string,
    private readonly sender: DiscordSender,
  ) {}

  async answer(answer: Answer): Promise<void> {
    await this.acknowledge();
    await this.sender.send(answer, this.target);
  }

  async working(text: string): Promise<DiscordTarget> {
    await this.answer({ text, files: [], cancel: { userId: this.target.userId, requestId: this.requestId } });
    return this.target;
  }

  async refuse(notice: ErrorNotice): Promise<void> {
    if (this.acknowledged) {
      await this.sender.send(textAnswer(notice.message), this.target);
      return;
    }
    this.acknowledged = true;
    await discordCall('POST', 'interaction callback', () => this.interaction.update({ content: shortText(notice.message, MAX_CONTENT_LENGTH), components: [] }));
  }

  private async acknowledge(): Promise<void> {
    if (this.acknowledged) return;
    this.acknowledged = true;
    await discordCall('POST', 'interaction callback', () => this.interaction.deferUpdate());
  }
}
