/** Suggestions for group and member options, from the asking server's own groups only. */
import type { AutocompleteInteraction } from 'discord.js';
import { resolveGroup } from '../../commands/index.ts';
import type { CoreContext } from '../../core/context.ts';

const MAX_CHOICES = 25;

function matching(names: readonly string[], typed: string): { name: string; value: string }[] {
  const prefix = typed.trim().toLowerCase();
  return names.filter((name) => name.toLowerCase().includes(prefix)).slice(0, MAX_CHOICES).map((name) => ({ name, value: name }));
}

/** The group a command takes when none is named (the server's default, or its only group), if any. */
async function implicitGroup(core: CoreContext, server: string): Promise<string | undefined> {
  return resolveGroup(core, server, undefined).catch(() => undefined);
}

export async function suggestions(core: CoreContext, server: string | undefined, interaction: AutocompleteInteraction): Promise<{ name: string; value: string }[]> {
  if (server === undefined) return [];
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'group' || focused.name === 'default_group') return matching((await core.store.listGroups(server)).map((group) => group.name), focused.value);
  if (focused.name === 'member') {
    const groupName = interaction.options.getString('group') ?? await implicitGroup(core, server);
    const group = groupName ? await core.store.getGroup(server, groupName).catch(() => undefined) : undefined;
    return matching(group?.members.map((member) => member.name) ?? [], focused.value);
  }
  return [];
}
