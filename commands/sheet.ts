import { z } from 'zod';
import { memberSheet } from '../core/dataset/overview.ts';
import { plural } from '../core/format.ts';
import { reply, type Command } from './command.ts';
import { groupAndMember, usageError } from './text-grammar.ts';
import { memberOption, requiredGroupOption, serverOf } from './options.ts';

const SHEET_USAGE = '[group] <member>';

const schema = z.object({ group: z.string(), member: z.string() });

export const sheetCommand = {
  kind: 'slash',
  name: 'sheet',
  description: 'A member\'s photos as a numbered contact sheet (numbers for /forget)',
  access: 'everyone',
  scope: 'server',
  privateAnswer: false,
  options: [requiredGroupOption, memberOption],
  subcommands: [],
  schema,
  text: { usage: SHEET_USAGE, parse: (words) => groupAndMember(words, () => usageError('sheet', SHEET_USAGE)) },
  async run(context, input) {
    const sheet = await memberSheet(context.core, serverOf(context), input.group, input.member);
    const review = sheet.flagged.map((entry) => `#${entry.number} to review: ${entry.reason} (checked: ${context.phrasing.command('keep', sheet.group, sheet.member, String(entry.number))}; wrong person: ${context.phrasing.command('forget', sheet.group, sheet.member, String(entry.number))})`);
    const text = [`${sheet.member} (${sheet.group}): ${plural(sheet.samples, 'photo')}, numbered on the sheet.`, ...review].join('\n');
    return reply(text, [{ name: `${sheet.member}-contact-sheet.jpg`, contentType: 'image/jpeg', bytes: sheet.jpeg }]);
  },
} satisfies Command<typeof schema>;
