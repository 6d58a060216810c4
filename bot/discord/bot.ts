/**
 * The discord.js adapter: interactions become command runs (bot/shared's runner answers them through the
 * interaction responder), review buttons and autocomplete are answered here; heavy work is queued and the worker
 * that runs it answers with the interaction token. Nothing a user does may throw out of a handler.
 */
import { once } from 'node:events';
import {
  Client, Events, GatewayIntentBits, MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type Interaction, type StringSelectMenuInteraction,
} from 'discord.js';
import { findCommand, type Command, type CommandContext, type RawOptions } from '../../commands/index.ts';
import type { DiscordSettings } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { Logger } from '../../core/logger.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import type { JobCancellations } from '../../workers/cancellations.ts';
import type { JobProducer } from '../../workers/producer.ts';
import { CANCELLING_TEXT, parseCancelButton, pressCancel } from '../shared/cancel-buttons.ts';
import { runCommandCall } from '../shared/command-runner.ts';
import { SLASH_PHRASING } from '../../answers/phrasing.ts';
import { decideReview, parseReviewButton } from '../shared/review-buttons.ts';
import { suggestions } from './autocomplete.ts';
import { DiscordButtonResponder } from './button-responder.ts';
import { DiscordCorrections } from './corrections.ts';
import { parseFeedbackButton } from '../shared/feedback-buttons.ts';
import { ADMIN_PERMISSION } from './command-data.ts';
import { DiscordSender } from './discord-sender.ts';
import { chatInputOptions, messageMedia } from './interaction-input.ts';
import { InteractionResponder, type CommandInteraction } from './interaction-responder.ts';
import { discordCall } from './transport-error.ts';

export interface DiscordBotParts {
  settings: DiscordSettings;
  core: CoreContext;
  producer: JobProducer;
  cancellations: JobCancellations;
  logger: Logger;
}

type AnsweredInteraction = CommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

export class DiscordBot {
  private readonly client: Client;
  private readonly sender: DiscordSender;
  private readonly corrections: DiscordCorrections;

  constructor(private readonly parts: DiscordBotParts) {
    // Slash commands need no privileged intents; Guilds keeps the server list for logs and permissions.
    this.client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: parts.settings.apiRoot } });
    this.sender = new DiscordSender(this.client.rest, parts.logger);
    this.corrections = new DiscordCorrections({
      producer: parts.producer, sender: this.sender, contextFor: (interaction) => this.contextFor(interaction),
      targetOf: (interaction, context, privateAnswer) => this.targetOf(interaction, context, privateAnswer),
    });
    this.client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    this.client.on(Events.Error, (error) => parts.logger.error({ err: error }, 'Discord client error'));
  }

  async start(): Promise<void> {
    const ready = once(this.client, Events.ClientReady);
    try {
      await this.client.login(this.parts.settings.token);
      await ready;
    } catch (error) {
      await this.client.destroy();
      throw error;
    }
    this.parts.logger.info({ user: this.client.user?.tag, guilds: this.client.guilds.cache.size }, 'Discord bot connected');
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    const logger = this.parts.logger.child({ interaction: interaction.id, guild: interaction.guildId ?? 'dm', user: interaction.user.id });
    try {
      if (interaction.isAutocomplete()) await this.autocomplete(interaction);
      else if (interaction.isButton()) await this.button(interaction, logger);
      else if (interaction.isStringSelectMenu()) await this.corrections.select(interaction, logger);
      else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) await this.command(interaction, logger);
    } catch (error) {
      logger.error({ err: error }, 'interaction failed');
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = findCommand(interaction.commandName, 'slash');
    const choices = command === undefined ? [] : await suggestions(this.parts.core, serverOf(interaction), command, interaction).catch(() => []);
    await discordCall('POST', 'autocomplete callback', () => interaction.respond(choices));
  }

  private async button(interaction: ButtonInteraction, logger: Logger): Promise<void> {
    const cancel = parseCancelButton(interaction.customId);
    if (cancel !== undefined) {
      await pressCancel(cancel, interaction.user.id, this.parts.cancellations, {
        refuse: async (text) => { await discordCall('POST', 'interaction callback', () => interaction.reply({ content: text, flags: MessageFlags.Ephemeral })); },
        acknowledge: async () => { await discordCall('POST', 'interaction callback', () => interaction.update({ content: CANCELLING_TEXT, components: [] })); },
      });
      logger.info({ request: cancel.requestId }, 'cancel pressed');
      return;
    }
    const feedback = parseFeedbackButton(interaction.customId);
    if (feedback !== undefined) {
      await this.corrections.press(interaction, feedback, logger);
      return;
    }
    const choice = parseReviewButton(interaction.customId);
    if (choice === undefined) return;
    const context = this.contextFor(interaction);
    const responder = new DiscordButtonResponder(interaction, this.targetOf(interaction, context, false), this.sender);
    await decideReview(choice, context, responder, logger);
  }

  private async command(interaction: CommandInteraction, logger: Logger): Promise<void> {
    const command = findCommand(interaction.commandName, interaction.isChatInputCommand() ? 'slash' : 'message');
    if (!command) {
      await discordCall('POST', 'interaction callback', () => interaction.reply({ content: 'I do not know that command any more; it will be gone from the menu soon.', flags: MessageFlags.Ephemeral }));
      return;
    }
    const context = this.contextFor(interaction);
    const target = this.targetOf(interaction, context, command.privateAnswer);
    const requestId = `discord:${interaction.id}`;
    const responder = new InteractionResponder(interaction, target, requestId, this.sender, (error) => logger.warn({ err: error }, 'could not defer the reply'));
    const call = { command, context, options: () => optionsOf(interaction, command), requestId, logger };
    await runCommandCall(call, responder, this.parts.producer);
  }

  private contextFor(interaction: AnsweredInteraction): CommandContext {
    return {
      core: this.parts.core,
      server: serverOf(interaction),
      user: interaction.user.id,
      userName: interaction.user.globalName ?? interaction.user.username,
      isAdmin: interaction.memberPermissions?.has(ADMIN_PERMISSION) ?? false,
      uploadLimitBytes: uploadLimit(interaction, this.parts.settings),
      phrasing: SLASH_PHRASING,
      admins: 'members with Manage Server',
    };
  }

  /** Where the answers to this interaction go, from this process or a worker's. */
  private targetOf(interaction: AnsweredInteraction, context: CommandContext, privateAnswer: boolean): DiscordTarget {
    return {
      kind: 'discord',
      applicationId: interaction.applicationId,
      interactionToken: interaction.token,
      channelId: interaction.channelId ?? '',
      userId: interaction.user.id,
      createdAt: interaction.createdTimestamp,
      privateAnswer,
      uploadLimitBytes: context.uploadLimitBytes,
    };
  }
}

function serverOf(interaction: Interaction): string | undefined {
  return interaction.guildId === null ? undefined : `discord:${interaction.guildId}`;
}

function uploadLimit(interaction: AnsweredInteraction, settings: DiscordSettings): number {
  return interaction.attachmentSizeLimit > 0 ? interaction.attachmentSizeLimit : settings.defaultUploadLimitBytes;
}

function optionsOf(interaction: CommandInteraction, command: Command): RawOptions {
  if (interaction.isChatInputCommand()) return chatInputOptions(interaction);
  return messageMedia(interaction, command.media ?? 'image');
}
