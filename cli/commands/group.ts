import type { Command } from 'commander';
import { createIo } from '../io.ts';
import type { CommandState } from '../main.ts';
import { withRuntime } from '../session.ts';

interface JsonFlag {
  json?: boolean;
}

export function registerGroup(program: Command, _state: CommandState): void {
  const group = program.command('group').description('create, list, rename or delete groups');
  group.command('create <group>').description('create an empty group').option('--json', 'one JSON line').action(async (name: string, options: JsonFlag, command: Command) => {
    const io = createIo(options.json === true);
    await withRuntime(command, async ({ context }, server) => {
      const created = await context.store.createGroup(server, name);
      if (io.json) io.resultJson({ group: created.name, created: true });
      else io.result(`Created group ${created.name}. Next: idolens enroll "${created.name}" MEMBER PHOTOS...`);
    });
  });
  group.command('list').description('list this server\'s groups').option('--json', 'one JSON line per group').action(async (options: JsonFlag, command: Command) => {
    const io = createIo(options.json === true);
    await withRuntime(command, async ({ context }, server) => {
      const groups = await context.store.listGroups(server);
      for (const entry of groups) {
        const samples = entry.members.reduce((sum, member) => sum + member.sampleIds.length, 0);
        const model = await context.store.getModel(server, entry.name);
        const trained = model !== undefined && model.groupRevision === entry.revision;
        if (io.json) io.resultJson({ group: entry.name, members: entry.members.length, samples, trained });
        else io.result(`${entry.name}: ${entry.members.length} members, ${samples} photos${trained ? ', trained' : ''}`);
      }
      if (groups.length === 0 && !io.json) io.info('No groups yet. Create one with: idolens group create NAME');
    });
  });
  group.command('rename <group> <newName>').description('rename a group').option('--json', 'one JSON line').action(async (from: string, to: string, options: JsonFlag, command: Command) => {
    const io = createIo(options.json === true);
    await withRuntime(command, async ({ context }, server) => {
      const renamed = await context.store.renameGroup(server, from, to);
      if (io.json) io.resultJson({ group: renamed.name, renamedFrom: from });
      else io.result(`Renamed ${from} to ${renamed.name}.`);
    });
  });
  group.command('delete <group>').description('delete a group with all its members and photos').option('--json', 'one JSON line').action(async (name: string, options: JsonFlag, command: Command) => {
    const io = createIo(options.json === true);
    await withRuntime(command, async ({ context }, server) => {
      const deleted = await context.store.deleteGroup(server, name);
      if (io.json) io.resultJson({ group: deleted.name, deleted: true });
      else io.result(`Deleted group ${deleted.name}.`);
    });
  });
}
