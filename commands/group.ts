import { z } from 'zod';
import type { GroupAction } from '../workers/jobs.ts';
import type { Command } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { usageError } from './text-grammar.ts';
import { requiredGroupOption, serverOf } from './options.ts';

const schema = z.discriminatedUnion('subcommand', [
  z.object({ subcommand: z.literal('create'), name: z.string() }),
  z.object({ subcommand: z.literal('list') }),
  z.object({ subcommand: z.literal('delete'), group: z.string() }),
  z.object({ subcommand: z.literal('rename'), group: z.string(), new_name: z.string() }),
]);

function actionOf(input: z.infer<typeof schema>): GroupAction {
  switch (input.subcommand) {
    case 'create': return { action: 'create', group: input.name };
    case 'list': return { action: 'list' };
    case 'delete': return { action: 'delete', group: input.group };
    case 'rename': return { action: 'rename', group: input.group, newName: input.new_name };
  }
}

const GROUP_USAGE = 'create <name> | list | rename <group> <new name> | delete <group>';

/** "/group create <name>", "/group list", "/group rename <group> <new name…>", "/group delete <group>". */
function groupText(words: string[]): RawOptions {
  const [subcommand = '', first, ...rest] = words;
  const name = first === undefined ? '' : [first, ...rest].join(' ');
  switch (subcommand.toLowerCase()) {
    case 'list': return { subcommand: 'list' };
    case 'create': if (name !== '') return { subcommand: 'create', name }; break;
    case 'delete': if (name !== '') return { subcommand: 'delete', group: name }; break;
    case 'rename': if (first !== undefined && rest.length > 0) return { subcommand: 'rename', group: first, new_name: rest.join(' ') }; break;
    default: break;
  }
  throw usageError('group', GROUP_USAGE);
}

const WORKING: Record<GroupAction['action'], string> = { create: 'Creating the group…', list: 'Listing groups…', delete: 'Deleting the group…', rename: 'Renaming the group…' };

export const groupCommand = {
  kind: 'slash',
  name: 'group',
  description: 'Create, list, rename or delete this server\'s groups',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [],
  subcommands: [
    { name: 'create', description: 'Create a group (e.g. TWICE)', options: [{ name: 'name', description: 'The group\'s name', kind: 'string', required: true, maxLength: 40 }] },
    { name: 'list', description: 'This server\'s groups', options: [] },
    { name: 'delete', description: 'Delete a group and all its photos', options: [requiredGroupOption] },
    { name: 'rename', description: 'Rename a group', options: [requiredGroupOption, { name: 'new_name', description: 'The new name', kind: 'string', required: true, maxLength: 40 }] },
  ],
  schema,
  text: { usage: GROUP_USAGE, parse: groupText },
  async run(context, input) {
    serverOf(context);
    const action = actionOf(input);
    return { kind: 'job', working: WORKING[action.action], job: { name: 'group', payload: action } };
  },
} satisfies Command<typeof schema>;
