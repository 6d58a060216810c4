import { z } from 'zod';
import { reply, type Command } from './command.ts';
import { memberOption, requiredGroupOption, serverOf } from './options.ts';

const schema = z.object({ group: z.string(), member: z.string(), sample: z.number().int().min(1).optional() });

export const forgetCommand = {
  kind: 'slash',
  name: 'forget',
  description: 'Remove a member, or one of their photos by its number on /sheet',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [requiredGroupOption, memberOption, { name: 'sample', description: 'Only this photo (its number on /sheet)', kind: 'integer', required: false, min: 1 }],
  subcommands: [],
  schema,
  async run(context, input) {
    const server = serverOf(context);
    if (input.sample === undefined) {
      const group = await context.core.store.forgetMember(server, input.group, input.member);
      return reply(`Forgot ${input.member} and all their photos from ${group.name}.`);
    }
    const group = await context.core.store.forgetSample(server, input.group, input.member, input.sample);
    return reply(`Forgot photo #${input.sample} of ${input.member} (${group.name}). The numbers after it moved up by one.`);
  },
} satisfies Command<typeof schema>;
