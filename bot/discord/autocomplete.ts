/** Suggestions for options declared with `autocomplete`, from the asking server's own groups and members only. */
import type { AutocompleteInteraction } from 'discord.js';
import { resolveGroup, type Command, type OptionSpec } from '../../commands/index.ts';
import type { CoreContext } from '../../core/context.ts';
import { SLASH_PHRASING } from '../../answers/phrasing.ts';

const MAX_CHOICES = 25;

function matching(names: readonly string[], typed: string): { name: string; value: string }[] {
  const prefix = typed.trim().toLowerCase();
  return names.filter((name) => name.toLowerCase().includes(prefix)).slice(0, MAX_CHOICES).map((name) => ({ name, value: name }));
}

function declaredOption(command: Command, subcommand: string | null, name: string): OptionSpec | undefined {
  const options = subcommand === null ? command.options : command.subcommands.find((entry) => entry.name === subcommand)?.options ?? [];
  return options.find((option) => option.name === name);
}

export async function suggestions(core: CoreContext, server: string | undefined, command: Command, interaction: AutocompleteInteraction): Promise<{ name: string; value: string }[]> {
  if (server === undefined) return [];
  const focused = interaction.options.getFocused(true);
  const option = declaredOption(command, interaction.options.getSubcommand(false), focused.name);
  if (option?.autocomplete === 'group') return matching((await core.store.listGroups(server)).map((group) => group.name), focused.value);
  if (option?.autocomplete === 'member') {
    // The group named in the same command, else the one a command takes when none is named (default or only group).
    const groupName = interaction.options.getString('group') ?? await resolveGroup(core, server, undefined, SLASH_PHRASING).catch(() => undefined);
    const group = groupName === undefined ? undefined : await core.store.getGroup(server, groupName).catch(() => undefined);
    return matching(group?.members.map((member) => member.name) ?? [], focused.value);
  }
  return [];
}
