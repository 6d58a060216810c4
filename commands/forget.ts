import { z } from 'zod';
import { reply, type Command } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { groupAndMember, usageError } from './text-grammar.ts';
import { memberOption, requiredGroupOption, serverOf } from './options.ts';

const FORGET_USAGE = '[group] <member> [photo number]';
const SAMPLE_NUMBER = /^#?(\d{1,5})$/;

/** "/forget [group] <member> [#3]". */
function forgetText(words: string[]): RawOptions {
  const last = words.at(-1);
  const sample = last === undefined ? undefined : SAMPLE_NUMBER.exec(last)?.[1];
  const named = groupAndMember(sample === undefined ? words : words.slice(0, -1), () => usageError('forget', FORGET_USAGE));
  return { ...named, ...(sample === undefined ? {} : { sample: Number(sample) }) };
}

function forgetQuestion(options: RawOptions): string {
  const what = options.sample === undefined ? `${String(options.member)} and all their photos` : `photo #${String(options.sample)} of ${String(options.member)}`;
  return `Forget ${what} from ${String(options.group)}? This cannot be undone.`;
}

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
  text: { usage: FORGET_USAGE, parse: forgetText, confirm: forgetQuestion },
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
