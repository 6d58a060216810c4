import { z } from 'zod';
import { plural } from '../core/format.ts';
import { acceptPending, discardPending, parseNumbers } from '../core/search/review.ts';
import { reply, type Command } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { usageError } from './text-grammar.ts';
import { serverOf } from './options.ts';

const REVIEW_USAGE = '<id> accept [except 2 5] | /review <id> discard';

/** "/review <id> accept [except 2 5]" or "/review <id> discard". */
function reviewText(words: string[]): RawOptions {
  const [id, action, keyword, ...numbers] = words;
  const refuse = () => usageError('review', REVIEW_USAGE);
  if (id === undefined || (action !== 'accept' && action !== 'discard')) throw refuse();
  if (keyword === undefined) return { id, action };
  if (keyword.toLowerCase() !== 'except' || action !== 'accept') throw refuse();
  return { id, action, except: numbers.join(' ') };
}

const schema = z.object({ id: z.string().trim().min(1).max(40), action: z.enum(['accept', 'discard']), except: z.string().max(200).optional() });

export const reviewCommand = {
  kind: 'slash',
  name: 'review',
  description: 'Decide on photos an image search found (/enroll … search:): accept all, all but some, or discard',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [
    { name: 'id', description: 'The set\'s id, from the search\'s answer', kind: 'string', required: true, maxLength: 40 },
    { name: 'action', description: 'Add the photos, or drop them', kind: 'string', required: true, choices: ['accept', 'discard'] },
    { name: 'except', description: 'With accept: numbers on the review sheet to leave out, e.g. 2 5', kind: 'string', required: false, maxLength: 200 },
  ],
  subcommands: [],
  schema,
  text: { usage: REVIEW_USAGE, parse: reviewText },
  async run(context, input) {
    const server = serverOf(context);
    if (input.action === 'discard') {
      const set = await discardPending(context.core, server, input.id);
      return reply(`Dropped the ${plural(set.items.length, 'pending photo')} of ${set.member}; nothing was added.`);
    }
    const accepted = await acceptPending(context.core, server, input.id, parseNumbers(input.except ?? ''));
    const left = accepted.left.length === 0 ? '' : ` (left out ${accepted.left.map((number) => `#${number}`).join(', ')})`;
    return reply(`Added ${plural(accepted.accepted, 'photo')} of ${accepted.set.member} to ${accepted.group.name}${left}. The group is retrained on its next identify (or ${context.phrasing.command('train')} now).`);
  },
} satisfies Command<typeof schema>;
