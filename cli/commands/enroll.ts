import type { Command } from 'commander';
import type { EnrollOutcome } from '../../core/dataset/enroll-outcome.ts';
import type { IntakeLayout } from '../../core/intake/index.ts';
import { enrollMemberPhotos, type EnrollResult } from '../../services/enroll-service.ts';
import { createIo, EXIT, type CliIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withQueue } from '../queue-session.ts';
import { withRuntime } from '../session.ts';
import { enrollFromSearch, searchRefusal } from './search-enroll.ts';
import { CLI_PHRASING } from '../../answers/phrasing.ts';
import { batchProgress, type BatchProgress } from '../progress-bar.ts';

interface EnrollOptions {
  json?: boolean;
  by?: string;
  queue?: boolean;
  search?: string;
  count?: string;
  provider?: string;
  yes?: boolean;
  sheet?: string;
  new?: boolean;
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

function report(io: CliIo, summary: EnrollResult, state: CommandState): void {
  for (const outcome of summary.outcomes) {
    if (io.json) io.resultJson(outcomeJson(outcome));
    else io.result(outcomeText(outcome));
  }
  const { accepted, rejected, duplicate, flagged } = summary.counts;
  io.info(`${summary.group}: ${accepted} accepted, ${rejected} rejected, ${duplicate} duplicate, ${flagged} flagged for review.`);
  if (rejected > 0) state.exitCode = EXIT.badInput;
}

async function enroll(command: Command, options: EnrollOptions, group: string, member: string | undefined, paths: string[], layout: IntakeLayout): Promise<EnrollResult> {
  if (options.queue === true) {
    return withQueue(command, async (session) => {
      const inputs = await session.inputs(paths, layout);
      const result = member === undefined
        ? await session.run('import', { group, inputs })
        : await session.run('enroll', { group, member, inputs, ...(options.new === true ? { newMember: true } : {}) });
      return result.answer.data;
    });
  }
  // A bar while the photos are analysed (at a terminal); the lines follow once everything is committed at once.
  let progress: BatchProgress | undefined;
  try {
    return await withRuntime(command, async ({ context }, server) => (await enrollMemberPhotos(context, {
      server, group, ...(member === undefined ? {} : { member }), photos: { paths }, layout, addedBy: options.by ?? 'cli',
      ...(options.new === true ? {} : { newMemberHint: (name: string) => CLI_PHRASING.newMember(group, name) }),
      onProgress: ({ done, total }) => {
        progress ??= batchProgress(total, 'photos', { json: options.json === true });
        if (done > 0) progress.tick();
      },
    })).result);
  } finally {
    progress?.stop();
  }
}

export function registerEnroll(program: Command, state: CommandState): void {
  program
    .command('enroll <group> <member> [paths...]')
    .description('add photos of one member: files, folders, zips or http(s) URLs, or found by an image search (--search)')
    .option('--json', 'one JSON line per input')
    .option('--by <who>', 'who is adding them (kept with each photo)', 'cli')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .option('--search <query>', 'find photos with an image search, keep the ones of the member, and ask before adding them')
    .option('-n, --count <n>', 'with --search: how many results to look at (default 30)')
    .option('--provider <name>', 'with --search: commons, brave or google (default IDOLENS_SEARCH_PROVIDER, else commons)')
    .option('--yes', 'with --search: add every kept photo without asking')
    .option('--sheet <file>', 'with --search: where to write the numbered review sheet (default DATA/pending/ID.jpg)')
    .option('--new', 'a new member whose name is close to an existing member\'s (otherwise refused as a likely typo)')
    .action(async (group: string, member: string, paths: string[], options: EnrollOptions, command: Command) => {
      searchRefusal(paths, options);
      if (options.search !== undefined) {
        await enrollFromSearch(command, { ...options, search: options.search }, group, member, state);
        return;
      }
      report(createIo(options.json === true), await enroll(command, options, group, member, paths, 'flat'), state);
    });
  program
    .command('import <group> <paths...>')
    .description('add a whole group from folders or zips laid out one folder per member (member/photo.jpg)')
    .option('--json', 'one JSON line per input')
    .option('--by <who>', 'who is adding them (kept with each photo)', 'cli')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .action(async (group: string, paths: string[], options: EnrollOptions, command: Command) => {
      report(createIo(options.json === true), await enroll(command, options, group, undefined, paths, 'member-folders'), state);
    });
}
