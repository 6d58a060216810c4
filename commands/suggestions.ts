/**
 * Admins review fans' corrections: "/suggestions [group]" shows them as a numbered sheet (who said what, how many
 * agree, what fans report per member) with "Accept all" / "Reject all" buttons; "accept [except 2 5]" and
 * "reject [2 5]" decide by number. Accepted names become the member's photos; the group retrains on its next use.
 */
import { z } from 'zod';
import { plural } from '../core/format.ts';
import { acceptSuggestions, rejectSuggestions, suggestionLine, suggestionsSheet, type SuggestionsDecision } from '../core/feedback/suggestions.ts';
import { tallyLines } from '../core/feedback/tally.ts';
import { parseNumbers } from '../core/search/review.ts';
import { reply, type Command, type CommandContext, type CommandOutcome } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { groupOption, resolveGroup, serverOf } from './options.ts';

const ACTIONS = ['show', 'accept', 'reject'] as const;
const SUGGESTIONS_USAGE = '[group] [accept [except 2 5] | reject [2 5]]';

/** "/suggestions [group] [accept [except 2 5] | reject [2 5]]". */
function suggestionsText(words: string[]): RawOptions {
  const at = words.findIndex((word) => word.toLowerCase() === 'accept' || word.toLowerCase() === 'reject');
  const groupWords = at === -1 ? words : words.slice(0, at);
  const group = groupWords.length === 0 ? {} : { group: groupWords.join(' ') };
  if (at === -1) return group;
  const action = (words[at] ?? '').toLowerCase();
  const rest = words.slice(at + 1).filter((word) => word.toLowerCase() !== 'except');
  return { ...group, action, ...(rest.length === 0 ? {} : { numbers: rest.join(' ') }) };
}

const schema = z.object({
  group: z.string().optional(),
  action: z.enum(ACTIONS).default('show'),
  numbers: z.string().max(200).optional(),
  /** A review sheet's buttons: decide exactly what that sheet showed. */
  shown: z.string().regex(/^[0-9a-f]{8}$/).optional(),
});

type Input = z.infer<typeof schema>;

function numberList(numbers: readonly number[]): string {
  return numbers.map((number) => `#${number}`).join(', ');
}

function decisionText(decision: SuggestionsDecision, context: CommandContext): string {
  const lines = [];
  if (decision.accepted.length > 0) lines.push(`Added ${plural(decision.accepted.length, 'suggested photo')} to ${decision.group.name} (${numberList(decision.accepted)}). The group is retrained on its next identify (or ${context.phrasing.command('train')} now).`);
  if (decision.notInGroup.length > 0) lines.push(`${numberList(decision.notInGroup)}: noted as someone not in ${decision.group.name}; nothing added.`);
  if (decision.rejected.length > 0) lines.push(`Rejected ${numberList(decision.rejected)}; nothing added.`);
  if (decision.ownLeft.length > 0) lines.push(`Left pending ${numberList(decision.ownLeft)}: you suggested ${decision.ownLeft.length === 1 ? 'it' : 'them'} yourself, so another admin has to decide.`);
  return lines.length === 0 ? 'Nothing was pending there.' : lines.join('\n');
}

async function show(context: CommandContext, server: string, groupName: string): Promise<CommandOutcome> {
  const { group, feedback } = await context.core.store.readFeedback(server, groupName);
  const figures = tallyLines(feedback.tally, group);
  const figureText = figures.length === 0 ? [] : ['What fans said:', ...figures.map((line) => `  ${line}`)];
  if (feedback.suggestions.length === 0) return reply([`No suggestions are waiting for ${group.name}.`, ...figureText].join('\n'));
  const how = `Decide: ${context.phrasing.command('suggestions', group.name, 'accept')} (or "accept except 2 5"), ${context.phrasing.command('suggestions', group.name, 'reject', '2 5')}.`;
  const text = [`${plural(feedback.suggestions.length, 'suggestion')} from fans for ${group.name}:`, ...feedback.suggestions.map(suggestionLine), how, ...figureText].join('\n');
  const shown = await context.core.answers.putShown(server, group.name, feedback.suggestions.map((entry) => entry.number));
  const sheet = await suggestionsSheet(group, feedback.suggestions);
  return { kind: 'reply', answer: { text, files: [{ name: 'suggestions.jpg', contentType: 'image/jpeg', bytes: sheet }], suggestionsId: shown } };
}

async function decide(context: CommandContext, server: string, input: Input): Promise<CommandOutcome> {
  const approver = { user: context.user, name: context.userName ?? context.user };
  const shown = input.shown === undefined ? undefined : await context.core.answers.getShown(server, input.shown);
  const group = shown?.group ?? await resolveGroup(context.core, server, input.group, context.phrasing);
  const numbers = parseNumbers(input.numbers ?? '');
  const selection = shown !== undefined ? { shown: shown.numbers } : input.action === 'accept' ? { except: numbers } : numbers.length === 0 ? {} : { only: numbers };
  const decision = input.action === 'accept'
    ? await acceptSuggestions(context.core, server, group, approver, selection)
    : await rejectSuggestions(context.core, server, group, selection);
  return reply(decisionText(decision, context));
}

export const suggestionsCommand = {
  kind: 'slash',
  name: 'suggestions',
  description: 'Review fans\' name corrections: accept them as photos, or reject them',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [
    groupOption,
    { name: 'action', description: 'Show them (default), accept, or reject', kind: 'string', required: false, choices: ACTIONS },
    { name: 'numbers', description: 'With accept: numbers to leave out; with reject: the numbers to reject (default all)', kind: 'string', required: false, maxLength: 200 },
  ],
  subcommands: [],
  schema,
  text: { usage: SUGGESTIONS_USAGE, parse: suggestionsText },
  async run(context, input) {
    const server = serverOf(context);
    if (input.action === 'show') return show(context, server, await resolveGroup(context.core, server, input.group, context.phrasing));
    return decide(context, server, input);
  },
} satisfies Command<typeof schema>;
