import { z } from 'zod';
import type { Command } from './command.ts';
import { optionalGroup } from './text-grammar.ts';
import { groupOption, resolveGroup, serverOf } from './options.ts';

const schema = z.object({ group: z.string().optional() });

export const trainCommand = {
  kind: 'slash',
  name: 'train',
  description: 'Train a group now: cross-validated accuracy per member and who gets confused',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [groupOption],
  subcommands: [],
  schema,
  text: { usage: '[group]', parse: optionalGroup },
  async run(context, input) {
    const group = await resolveGroup(context.core, serverOf(context), input.group, context.phrasing);
    return { kind: 'job', working: `Training ${group}…`, job: { name: 'train', payload: { group, force: true } } };
  },
} satisfies Command<typeof schema>;
