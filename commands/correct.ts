/**
 * A fan says who a face of the bot's answer is: the Discord "Wrong name?" menus and the Telegram keyboard end
 * here, and on Telegram `/correct <face> <member>` typed as a reply to the answer. It becomes a suggestion for the
 * admins (a job: the picture is fetched again for that face's crop); it never changes the group by itself.
 */
import { z } from 'zod';
import { checkCorrection } from '../core/feedback/corrections.ts';
import { IdolensError } from '../core/errors.ts';
import type { Command } from './command.ts';
import type { RawOptions } from './option-values.ts';
import type { MessageMedia } from './text-grammar.ts';
import { serverOf } from './options.ts';

const CORRECT_USAGE = '<face number> <member, or "nobody" for someone not in the group>, as a reply to my answer';
/** The word for "someone not in the group" (and the menus' value for it). */
export const NOT_IN_GROUP = 'nobody';

function correctText(words: string[], media: MessageMedia): RawOptions {
  const [face, ...name] = words;
  const refuse = () => new IdolensError('invalid_option', `Reply to my answer with /correct ${CORRECT_USAGE}. Faces are numbered from the left, as my answer lists them.`);
  const number = Number(face?.replace(/^#/, ''));
  if (media.answerId === undefined || !Number.isInteger(number) || name.length === 0) throw refuse();
  return { answer: media.answerId, face: number, member: name.join(' ') };
}

const schema = z.object({ answer: z.string().regex(/^[0-9a-f]{8}$/), face: z.number().int().min(1).max(1000), member: z.string().trim().min(1).max(40) });

export const correctCommand = {
  kind: 'slash',
  name: 'correct',
  description: 'Say who a face of my answer really is (reply to the answer): admins review it',
  access: 'everyone',
  scope: 'server',
  unlisted: true,
  privateAnswer: true,
  options: [
    { name: 'answer', description: 'The answer', kind: 'string', required: true, maxLength: 8 },
    { name: 'face', description: 'The face\'s number, from the left', kind: 'integer', required: true, min: 1 },
    { name: 'member', description: `Who it is (or "${NOT_IN_GROUP}")`, kind: 'string', required: true, maxLength: 40 },
  ],
  subcommands: [],
  schema,
  text: { usage: CORRECT_USAGE, parse: correctText },
  async run(context, input) {
    const server = serverOf(context);
    const member = input.member.toLowerCase() === NOT_IN_GROUP ? null : input.member;
    const fan = { user: context.user, name: context.userName ?? context.user };
    const { answer, member: named } = await checkCorrection(context.core, { server, answerId: input.answer, face: input.face, member, fan });
    return {
      kind: 'job',
      working: `Noting that face ${input.face} is ${named ?? `someone not in ${answer.group}`}…`,
      job: { name: 'correct', payload: { answerId: answer.id, face: input.face, member: named, fanName: fan.name } },
    };
  },
} satisfies Command<typeof schema>;
