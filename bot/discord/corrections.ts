/**
 * Fans correct an answer on Discord, in messages only they see: "Wrong name?" asks which face (a select menu, when
 * the answer has several), then who it is (the group's members and "someone else"); the choice runs /correct's
 * work. "Face 2: Lisa?" Yes counts a confirmation; No asks who it is instead.
 */
import { MessageFlags, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { findCommand, type CommandContext } from '../../commands/index.ts';
import { toNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import type { JobProducer } from '../../workers/producer.ts';
import { runCommandCall } from '../shared/command-runner.ts';
import { faceChoices, firstQuestion, loadAnswer, memberChoices, pressYes, whoQuestion, WHICH_FACE_QUESTION, type FeedbackPress } from '../shared/feedback-buttons.ts';
import { shortText } from '../shared/fit-answer.ts';
import { MAX_CONTENT_LENGTH, type DiscordSender } from './discord-sender.ts';
import { MenuResponder } from './menu-responder.ts';
import { selectComponents } from './review-buttons.ts';
import { discordCall } from './transport-error.ts';

/** Discord's most options in one select menu. */
const MAX_OPTIONS = 25;
const FACE_MENU = /^fixface:([0-9a-f]{8})$/;
const NAME_MENU = /^fixname:([0-9a-f]{8}):(\d{1,3})$/;

type Component = ButtonInteraction | StringSelectMenuInteraction;

export interface CorrectionParts {
  producer: JobProducer;
  sender: DiscordSender;
  contextFor(interaction: Component): CommandContext;
  targetOf(interaction: Component, context: CommandContext, privateAnswer: boolean): DiscordTarget;
}

export class DiscordCorrections {
  constructor(private readonly parts: CorrectionParts) {}

  async press(interaction: ButtonInteraction, press: FeedbackPress, logger: Logger): Promise<void> {
    const context = this.parts.contextFor(interaction);
    await this.guard(interaction, logger, async () => {
      if (press.kind === 'sure' && press.yes) {
        await this.whisper(interaction, await pressYes(context.core, context.server ?? '', press, { user: context.user, name: context.userName ?? context.user }));
        return;
      }
      const answer = await loadAnswer(context.core, context.server, press.answerId);
      const first = firstQuestion(answer, press);
      if (first.ask === 'who') await this.menu(interaction, whoQuestion(first.face), `fixname:${answer.id}:${first.face}`, memberChoices(answer, first.face, MAX_OPTIONS));
      else await this.menu(interaction, WHICH_FACE_QUESTION, `fixface:${answer.id}`, faceChoices(answer).slice(0, MAX_OPTIONS));
    });
  }

  async select(interaction: StringSelectMenuInteraction, logger: Logger): Promise<void> {
    const [value] = interaction.values;
    const faceMenu = FACE_MENU.exec(interaction.customId);
    const nameMenu = NAME_MENU.exec(interaction.customId);
    if (value === undefined || (faceMenu === null && nameMenu === null)) return;
    const context = this.parts.contextFor(interaction);
    if (faceMenu?.[1] !== undefined) {
      const answerId = faceMenu[1];
      await this.guard(interaction, logger, async () => {
        const answer = await loadAnswer(context.core, context.server, answerId);
        const components = selectComponents(`fixname:${answer.id}:${value}`, 'Who is it?', memberChoices(answer, Number(value), MAX_OPTIONS));
        await discordCall('POST', 'interaction callback', () => interaction.update({ content: whoQuestion(Number(value)), components }));
      });
      return;
    }
    const command = findCommand('correct', 'slash');
    if (command === undefined || nameMenu?.[1] === undefined) return;
    const options = { answer: nameMenu[1], face: Number(nameMenu[2]), member: value };
    const requestId = `discord:${interaction.id}`;
    const target = this.parts.targetOf(interaction, context, true);
    const responder = new MenuResponder(interaction, target, requestId, this.parts.sender);
    await runCommandCall({ command, context, options: () => options, requestId, logger }, responder, this.parts.producer);
  }

  private async menu(interaction: ButtonInteraction, content: string, customId: string, choices: ReturnType<typeof memberChoices>): Promise<void> {
    await discordCall('POST', 'interaction callback', () => interaction.reply({ content, components: selectComponents(customId, 'Choose…', choices), flags: MessageFlags.Ephemeral }));
  }

  private async whisper(interaction: Component, text: string): Promise<void> {
    await discordCall('POST', 'interaction callback', () => interaction.reply({ content: shortText(text, MAX_CONTENT_LENGTH), flags: MessageFlags.Ephemeral }));
  }

  /** A refusal (an expired answer, the hourly cap) is told to the fan alone. */
  private async guard(interaction: Component, logger: Logger, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const notice = toNotice(error);
      if (notice.code === 'internal') logger.error({ err: error }, 'correction failed');
      else logger.info({ code: notice.code }, 'correction refused');
      await this.whisper(interaction, notice.message);
    }
  }
}
