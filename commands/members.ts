import { z } from 'zod';
import { groupOverview, memberOverviewLine } from '../core/dataset/overview.ts';
import { plural } from '../core/format.ts';
import { reply, type Command } from './command.ts';
import { optionalGroup } from './text-grammar.ts';
import { groupOption, resolveGroup, serverOf } from './options.ts';

const schema = z.object({ group: z.string().optional() });

export const membersCommand = {
  kind: 'slash',
  name: 'members',
  description: 'A group\'s members: photos, photos to review, how well each is recognised, who gets confused',
  access: 'everyone',
  scope: 'server',
  privateAnswer: false,
  options: [groupOption],
  subcommands: [],
  schema,
  text: { usage: '[group]', parse: optionalGroup },
  async run(context, input) {
    const server = serverOf(context);
    const overview = await groupOverview(context.core, server, await resolveGroup(context.core, server, input.group, context.phrasing));
    if (overview.members.length === 0) return reply(`${overview.group} has no members yet: an admin adds them with ${context.phrasing.command('enroll')}.`);
    const lines = [`${overview.group}: ${plural(overview.members.length, 'member')}`, ...overview.members.map(memberOverviewLine)];
    lines.push(...overview.confusions.map((hint) => `Confused: ${hint}`));
    if (!overview.trained) lines.push('Not trained on the current photos yet: the next identify trains first.');
    return reply(lines.join('\n'));
  },
} satisfies Command<typeof schema>;
