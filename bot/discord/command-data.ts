/** The application commands Discord shows, generated from `commands/` (what deploy-commands registers). */
import {
  ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, InteractionContextType, PermissionFlagsBits,
  type APIApplicationCommandBasicOption, type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, OptionKind, OptionSpec } from '../../commands/index.ts';

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const satisfies Record<OptionKind, ApplicationCommandOptionType>;

/** Admin commands are hidden from members without Manage Server (and checked again on every call). */
export const ADMIN_PERMISSION = PermissionFlagsBits.ManageGuild;

function bounds(option: OptionSpec): { min_value?: number; max_value?: number } {
  return { ...(option.min === undefined ? {} : { min_value: option.min }), ...(option.max === undefined ? {} : { max_value: option.max }) };
}

function optionData(option: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: option.description, required: option.required };
  switch (option.kind) {
    case 'string':
      if (option.choices !== undefined) return { ...base, type: OPTION_TYPES.string, choices: option.choices.map((choice) => ({ name: choice, value: choice })) };
      return { ...base, type: OPTION_TYPES.string, autocomplete: option.autocomplete !== undefined, ...(option.maxLength === undefined ? {} : { max_length: option.maxLength }) };
    case 'integer':
      return { ...base, type: OPTION_TYPES.integer, ...bounds(option) };
    case 'number':
      return { ...base, type: OPTION_TYPES.number, ...bounds(option) };
    case 'boolean':
      return { ...base, type: OPTION_TYPES.boolean };
    case 'attachment':
      return { ...base, type: OPTION_TYPES.attachment };
  }
}

function commandData(command: Command): RESTPutAPIApplicationCommandsJSONBody[number] {
  const placement = {
    default_member_permissions: command.access === 'admin' ? String(ADMIN_PERMISSION) : null,
    contexts: command.scope === 'server' ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
  if (command.kind === 'message') return { type: ApplicationCommandType.Message, name: command.name, ...placement };
  const options = command.subcommands.length > 0
    ? command.subcommands.map((sub) => ({ type: ApplicationCommandOptionType.Subcommand as const, name: sub.name, description: sub.description, options: sub.options.map(optionData) }))
    : command.options.map(optionData);
  return { type: ApplicationCommandType.ChatInput, name: command.name, description: command.description, options, ...placement };
}

export function applicationCommands(commands: readonly Command[]): RESTPutAPIApplicationCommandsJSONBody {
  return commands.filter((command) => command.unlisted !== true).map(commandData);
}
