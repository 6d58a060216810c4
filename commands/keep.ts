import { z } from 'zod';
import { keepFlaggedPhotos } from '../core/dataset/overview.ts';
import { plural } from '../core/format.ts';
import { parseNumbers } from '../core/search/review.ts';
import { reply, type Command } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { groupAndMember, usageError } from './text-grammar.ts';
import { memberOption, requiredGroupOption, serverOf } from './options.ts';

const KEEP_USAGE = '[group] <member> <photo numbers>';
const PHOTO_NUMBER = /^#?(\d{1,5}),?$/;

/** "/keep [group] <member> 3 7": the trailing numbers are photos on /sheet. */
function keepText(words: string[]): RawOptions {
  const firstNumber = words.findIndex((word) => PHOTO_NUMBER.test(word));
  if (firstNumber < 1 || !words.slice(firstNumber).every((word) => PHOTO_NUMBER.test(word))) throw usageError('keep', KEEP_USAGE);
  const named = groupAndMember(words.slice(0, firstNumber), () => usageError('keep', KEEP_USAGE));
  return { ...named, samples: words.slice(firstNumber).map((word) => PHOTO_NUMBER.exec(word)?.[1] ?? '').join(' ') };
}

const schema = z.object({ group: z.string(), member: z.string(), samples: z.string().trim().min(1).max(200) });

/** The bots' way to clear a review flag (the CLI's is `idolens review GROUP MEMBER --ok N`). */
export const keepCommand = {
  kind: 'slash',
  name: 'keep',
  description: 'Photos flagged for review that you checked: they stay, and no longer count as to review',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [requiredGroupOption, memberOption, { name: 'samples', description: 'Their numbers on /sheet, e.g. 3 7', kind: 'string', required: true, maxLength: 200 }],
  subcommands: [],
  schema,
  text: { usage: KEEP_USAGE, parse: keepText },
  async run(context, input) {
    const kept = await keepFlaggedPhotos(context.core, serverOf(context), input.group, input.member, parseNumbers(input.samples));
    const left = kept.toReview.length;
    return reply(`Kept ${kept.checked.map((number) => `#${number}`).join(', ')} of ${input.member}: checked, no longer to review. ${left === 0 ? 'Nothing left to review.' : `${plural(left, 'photo')} still to review (${context.phrasing.command('sheet')}).`}`);
  },
} satisfies Command<typeof schema>;
