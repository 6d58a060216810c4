/**
 * The discord.js adapter: turns interactions into command runs and answers them. Every interaction is deferred
 * at once (Discord's 3 seconds); quick commands edit the reply, heavy ones are queued and the worker that runs
 * them answers with the interaction token. Failures become short messages only the user sees.
 */
import { once } from 'node:events';
import {
  Client, Events, GatewayIntentBits, MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction,
  type Interaction, type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { findCommand, runCommand, submitJob, type Command, type CommandContext, type CommandOutcome, type RawOptions } from '../../commands/index.ts';
import type { DiscordSettings } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { Logger } from '../../core/logger.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import type { JobProducer } from '../../workers/producer.ts';
import { suggestions } from './autocomplete.ts';
import { ADMIN_PERMISSION } from './command-data.ts';
import { chatInputOptions, messageMedia } from './interaction-input.ts';
import { parseReviewButton } from './review-buttons.ts';
import { discordCall } from './transport-error.ts';
import { noticeOf, toNotice } from '../../core/errors.ts';
import { fitContent } from './user-messages.ts';

export interface DiscordBotParts {
  settings: DiscordSettings;
  core: CoreContext;
  producer: JobProducer;
  logger: Logger;
}

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;
type AnsweredInteraction = CommandInteraction | ButtonInteraction;

export class DiscordBot {
  private readonly client: Client;

  constructor(private readonly parts: DiscordBotParts) {
    // Slash commands need no privileged intents; Guilds keeps the server list for logs and permissions.
    this.client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: parts.settings.apiRoot } });
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
      else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) await this.command(interaction, logger);
    } catch (error) {
      logger.error({ err: error }, 'interaction failed');
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const choices = await suggestions(this.parts.core, serverOf(interaction), interaction).catch(() => []);
    await discordCall('POST', 'autocomplete callback', () => interaction.respond(choices));
  }

  /** "Accept all" / "Discard" under a search's review sheet: admins only (checked here), decided once, buttons removed. */
  private async button(interaction: ButtonInteraction, logger: Logger): Promise<void> {
    const review = parseReviewButton(interaction.customId);
    const command = findCommand('review', 'slash');
    if (review === undefined || command === undefined) return;
    const context = this.contextFor(interaction);
    if (!context.isAdmin) {
      await discordCall('POST', 'interaction callback', () => interaction.reply({ content: noticeOf('admin_only', '').message, flags: MessageFlags.Ephemeral }));
      return;
    }
    await discordCall('POST', 'interaction callback', () => interaction.update({ components: [] }));
    try {
      const outcome = await runCommand(command, context, { id: review.id, action: review.action });
      if (outcome.kind === 'reply') await discordCall('POST', 'follow-up', () => interaction.followUp({ content: fitContent(outcome.text).content }));
    } catch (error) {
      const notice = toNotice(error);
      logger.info({ code: notice.code }, 'review refused');
      await discordCall('POST', 'follow-up', () => interaction.followUp({ content: notice.message, flags: MessageFlags.Ephemeral }));
    }
  }

  private async command(interaction: CommandInteraction, logger: Logger): Promise<void> {
    const command = findCommand(interaction.commandName, interaction.isChatInputCommand() ? 'slash' : 'message');
    if (!command) {
      await discordCall('POST', 'interaction callback', () => interaction.reply({ content: 'I do not know that command any more; it will be gone from the menu soon.', flags: MessageFlags.Ephemeral }));
      return;
    }
    await discordCall('POST', 'interaction callback', () => interaction.deferReply(command.privateAnswer ? { flags: MessageFlags.Ephemeral } : {}));
    try {
      const context = this.contextFor(interaction);
      const outcome = await runCommand(command, context, optionsOf(interaction, command));
      await this.answer(interaction, command, context, outcome);
      logger.info({ command: command.name, outcome: outcome.kind }, 'command handled');
    } catch (error) {
      const notice = toNotice(error);
      if (notice.code === 'internal') logger.error({ err: error, command: command.name }, 'command failed');
      else logger.info({ command: command.name, code: notice.code }, 'command refused');
      await this.tellFailure(interaction, command, notice.message);
    }
  }

  private contextFor(interaction: AnsweredInteraction): CommandContext {
    return {
      core: this.parts.core,
      server: serverOf(interaction),
      user: interaction.user.id,
      isAdmin: interaction.memberPermissions?.has(ADMIN_PERMISSION) ?? false,
      uploadLimitBytes: uploadLimit(interaction, this.parts.settings),
      prefix: '/',
      admins: 'members with Manage Server',
    };
  }

  private async answer(interaction: CommandInteraction, command: Command, context: CommandContext, outcome: CommandOutcome): Promise<void> {
    if (outcome.kind === 'reply') {
      const files = outcome.files.map((file) => ({ name: file.name, attachment: file.bytes }));
      await discordCall('PATCH', 'original response', () => interaction.editReply({ content: fitContent(outcome.text).content, files }));
      return;
    }
    await discordCall('PATCH', 'original response', () => interaction.editReply({ content: outcome.working }));
    const target: DiscordTarget = {
      kind: 'discord',
      applicationId: interaction.applicationId,
      interactionToken: interaction.token,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      createdAt: interaction.createdTimestamp,
      privateAnswer: command.privateAnswer,
      uploadLimitBytes: context.uploadLimitBytes,
    };
    await submitJob(this.parts.producer, outcome.job, { id: `discord:${interaction.id}`, server: context.server ?? '', by: context.user, target });
  }

  /** A public deferred reply is replaced by a message only the user sees; a private one is edited. */
  private async tellFailure(interaction: CommandInteraction, command: Command, content: string): Promise<void> {
    if (command.privateAnswer) {
      await discordCall('PATCH', 'original response', () => interaction.editReply({ content }));
      return;
    }
    await discordCall('POST', 'follow-up', () => interaction.followUp({ content, flags: MessageFlags.Ephemeral }));
    await discordCall('DELETE', 'original response', () => interaction.deleteReply());
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
