import type { Command } from 'commander';
import { groupListLine } from '../../answers/group.ts';
import { runGroupAction, type GroupAction, type GroupResult } from '../../services/group-service.ts';
import { createIo, type CliIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withQueue } from '../queue-session.ts';
import { withRuntime } from '../session.ts';

interface GroupOptions {
  json?: boolean;
  queue?: boolean;
}

function print(io: CliIo, result: GroupResult): void {
  switch (result.action) {
    case 'create':
      if (io.json) io.resultJson({ group: result.group, created: true });
      else io.result(`Created group ${result.group}. Next: idolens enroll "${result.group}" MEMBER PHOTOS...`);
      return;
    case 'rename':
      if (io.json) io.resultJson({ group: result.group, renamedFrom: result.renamedFrom });
      else io.result(`Renamed ${result.renamedFrom} to ${result.group}.`);
      return;
    case 'delete':
      if (io.json) io.resultJson({ group: result.group, deleted: true });
      else io.result(`Deleted group ${result.group}.`);
      return;
    case 'list':
      for (const entry of result.groups) {
        if (io.json) io.resultJson(entry);
        else io.result(groupListLine(entry));
      }
      if (result.groups.length === 0 && !io.json) io.info('No groups yet. Create one with: idolens group create NAME');
  }
}

async function run(command: Command, options: GroupOptions, action: GroupAction): Promise<void> {
  const io = createIo(options.json === true);
  const result = options.queue === true
    ? (await withQueue(command, (session) => session.run('group', action))).answer.data
    : await withRuntime(command, ({ context }, server) => runGroupAction(context, server, action));
  print(io, result);
}

export function registerGroup(program: Command, _state: CommandState): void {
  const group = program.command('group').description('create, list, rename or delete groups');
  const withFlags = (sub: Command, json: string): Command => sub.option('--json', json).option('--queue', 'run it on the job workers (needs REDIS_URL)');
  withFlags(group.command('create <group>').description('create an empty group'), 'one JSON line')
    .action((name: string, options: GroupOptions, command: Command) => run(command, options, { action: 'create', group: name }));
  withFlags(group.command('list').description('list this server\'s groups'), 'one JSON line per group')
    .action((options: GroupOptions, command: Command) => run(command, options, { action: 'list' }));
  withFlags(group.command('rename <group> <newName>').description('rename a group'), 'one JSON line')
    .action((from: string, to: string, options: GroupOptions, command: Command) => run(command, options, { action: 'rename', group: from, newName: to }));
  withFlags(group.command('delete <group>').description('delete a group with all its members and photos'), 'one JSON line')
    .action((name: string, options: GroupOptions, command: Command) => run(command, options, { action: 'delete', group: name }));
}
