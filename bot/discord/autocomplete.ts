/** Suggestions for group and member options, from the asking server's own groups only. */
import type { AutocompleteInteraction } from 'discord.js';
import type { CoreContext } from '../../core/context.ts';

const MAX_CHOICES = 25;

function matching(names: readonly string[], typed: string): { name: string; value: string }[] {
  const prefix = typed.trim().toLowerCase();
  return names.filter((name) => name.toLowerCase().includes(prefix)).slice(0, MAX_CHOICES).map((name) => ({ name, value: name }));
}

/** The server's group when it has exactly one (commands then take it as the default). */
async function onlyGroup(core: CoreContext, server: string): Promise<string | undefined> {
  const groups = await core.store.listGroups(server);
  return groups.length === 1 ? groups[0]?.name : undefined;
}

export async function suggestions(core: CoreContext, server: string | undefined, interaction: AutocompleteInteraction): Promise<{ name: string; value: string }[]> {
  if (server === undefined) return [];
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'group') return matching((await core.store.listGroups(server)).map((group) => group.name), focused.value);
  if (focused.name === 'member') {
    const groupName = interaction.options.getString('group') ?? await onlyGroup(core, server);
    const group = groupName ? await core.store.getGroup(server, groupName).catch(() => undefined) : undefined;
    return matching(group?.members.map((member) => member.name) ?? [], focused.value);
  }
  return [];
}
