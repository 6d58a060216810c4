/**
 * `idolens suggestions GROUP`: fans' corrections waiting for review (who said what, how many agree, what fans
 * reported per member), `--sheet FILE` their faces as a numbered sheet; `--accept [--except 2,5]` or
 * `--reject [2,5]` decides, as the bots' /suggestions does. The CLI decides as the operator ("cli").
 */
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { plural } from '../../core/format.ts';
import { acceptSuggestions, rejectSuggestions, suggestionLine, suggestionsSheet, type SuggestionsDecision } from '../../core/feedback/suggestions.ts';
import { tallyLines } from '../../core/feedback/tally.ts';
import type { CoreContext } from '../../core/context.ts';
import { parseNumbers } from '../../core/search/review.ts';
import { UsageError } from '../usage-error.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import type { CommandState } from '../command-state.ts';
import { createIo, type CliIo } from '../io.ts';
import { withRuntime } from '../session.ts';

interface SuggestionsOptions {
  accept?: boolean;
  except?: string;
  reject?: string | boolean;
  sheet?: string;
  force?: boolean;
  json?: boolean;
}

const OPERATOR = { user: 'cli', name: 'the operator (CLI)' };

async function list(context: CoreContext, server: string, groupName: string, options: SuggestionsOptions, io: CliIo): Promise<void> {
  const { group, feedback } = await context.store.readFeedback(server, groupName);
  if (options.sheet !== undefined && feedback.suggestions.length > 0) await fs.writeFile(options.sheet, await suggestionsSheet(group, feedback.suggestions));
  if (io.json) {
    io.resultJson({
      group: group.name,
      suggestions: feedback.suggestions.map((entry) => ({ number: entry.number, member: entry.member, shownAs: entry.shownAs, fans: entry.fans, ...(entry.flag === undefined ? {} : { flag: entry.flag }) })),
      figures: tallyLines(feedback.tally, group),
      ...(options.sheet === undefined || feedback.suggestions.length === 0 ? {} : { sheet: options.sheet }),
    });
    return;
  }
  io.result(`${group.name}: ${plural(feedback.suggestions.length, 'suggestion')} from fans${feedback.suggestions.length === 0 ? '.' : ':'}`);
  for (const entry of feedback.suggestions) io.result(`  ${suggestionLine(entry)}`);
  for (const line of tallyLines(feedback.tally, group)) io.result(`  ${line}`);
  if (options.sheet !== undefined && feedback.suggestions.length > 0) io.result(`Wrote ${options.sheet}.`);
}

function decisionLines(decision: SuggestionsDecision): string[] {
  const numbers = (list: readonly number[]): string => list.map((number) => `#${number}`).join(', ');
  return [
    ...(decision.accepted.length === 0 ? [] : [`Added ${plural(decision.accepted.length, 'suggested photo')} to ${decision.group.name} (${numbers(decision.accepted)}).`]),
    ...(decision.notInGroup.length === 0 ? [] : [`${numbers(decision.notInGroup)}: noted as someone not in ${decision.group.name}; nothing added.`]),
    ...(decision.rejected.length === 0 ? [] : [`Rejected ${numbers(decision.rejected)}.`]),
  ];
}

export function registerSuggestions(program: Command, _state: CommandState): void {
  program
    .command('suggestions <group>')
    .description('fans\' name corrections waiting for review: list them, or accept (--accept [--except 2,5]) or reject (--reject [2,5]) them')
    .option('--accept', 'add the suggested faces to the members fans named (all, or all but --except)')
    .option('--except <numbers>', 'with --accept: suggestion numbers to leave pending, e.g. 2,5')
    .option('--reject [numbers]', 'drop these suggestions (all when no numbers are given); nothing is added')
    .option('--sheet <file>', 'also write the suggested faces as a numbered contact sheet (JPEG)')
    .option(...FORCE_OPTION)
    .option('--json', 'one JSON line')
    .action(async (groupName: string, options: SuggestionsOptions, command: Command) => {
      const io = createIo(options.json === true);
      if (options.accept === true && options.reject !== undefined) throw new UsageError('choose --accept or --reject, not both');
      if (options.except !== undefined && options.accept !== true) throw new UsageError('--except goes with --accept');
      if (options.sheet !== undefined) await guardOutputs([options.sheet], [], options.force === true);
      const except = options.except === undefined ? [] : parseNumbers(options.except);
      const only = typeof options.reject === 'string' ? parseNumbers(options.reject) : [];
      await withRuntime(command, async ({ context }, server) => {
        if (options.accept !== true && options.reject === undefined) {
          await list(context, server, groupName, options, io);
          return;
        }
        const decision = options.accept === true
          ? await acceptSuggestions(context, server, groupName, OPERATOR, { except })
          : await rejectSuggestions(context, server, groupName, only.length === 0 ? {} : { only });
        if (io.json) io.resultJson({ group: decision.group.name, accepted: decision.accepted, notInGroup: decision.notInGroup, rejected: decision.rejected });
        else for (const line of decisionLines(decision)) io.result(line);
        if (!io.json && decisionLines(decision).length === 0) io.result('Nothing was pending.');
      });
    });
}
