import type { Command } from 'commander';
import { enrollPhotos, type EnrollOutcome, type EnrollSummary } from '../../core/dataset/enroll.ts';
import { createIo, EXIT, type CliIo } from '../io.ts';
import type { CommandState } from '../main.ts';
import { withRuntime } from '../session.ts';

interface EnrollOptions {
  json?: boolean;
  by?: string;
}

function outcomeJson(outcome: EnrollOutcome): Record<string, unknown> {
  return {
    file: outcome.source,
    member: outcome.member,
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason.message, code: outcome.reason.code } : {}),
    ...(outcome.status === 'accepted' ? { flagged: outcome.flagged === true } : {}),
    ...(outcome.flagReason ? { flagReason: outcome.flagReason } : {}),
  };
}

function outcomeText(outcome: EnrollOutcome): string {
  const who = outcome.member ? ` → ${outcome.member}` : '';
  if (outcome.status === 'accepted') return `accepted  ${outcome.source}${who}${outcome.flagged ? `  [review: ${outcome.flagReason}]` : ''}`;
  return `${outcome.status.padEnd(9)} ${outcome.source}${who}: ${outcome.reason?.message ?? ''}`;
}

function report(io: CliIo, summary: EnrollSummary, state: CommandState): void {
  for (const outcome of summary.outcomes) {
    if (io.json) io.resultJson(outcomeJson(outcome));
    else io.result(outcomeText(outcome));
  }
  const { accepted, rejected, duplicate, flagged } = summary.counts;
  io.info(`${summary.group.name}: ${accepted} accepted, ${rejected} rejected, ${duplicate} duplicate, ${flagged} flagged for review.`);
  if (rejected > 0) state.exitCode = EXIT.badInput;
}

export function registerEnroll(program: Command, state: CommandState): void {
  program
    .command('enroll <group> <member> <paths...>')
    .description('add photos of one member: files, folders, zips or http(s) URLs')
    .option('--json', 'one JSON line per input')
    .option('--by <who>', 'who is adding them (kept with each photo)', 'cli')
    .action(async (group: string, member: string, paths: string[], options: EnrollOptions, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        const summary = await enrollPhotos(context, { server, group, member, inputs: paths, layout: 'flat', addedBy: options.by ?? 'cli' });
        report(io, summary, state);
      });
    });
  program
    .command('import <group> <paths...>')
    .description('add a whole group from folders or zips laid out one folder per member (member/photo.jpg)')
    .option('--json', 'one JSON line per input')
    .option('--by <who>', 'who is adding them (kept with each photo)', 'cli')
    .action(async (group: string, paths: string[], options: EnrollOptions, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        const summary = await enrollPhotos(context, { server, group, inputs: paths, layout: 'member-folders', addedBy: options.by ?? 'cli' });
        report(io, summary, state);
      });
    });
}
