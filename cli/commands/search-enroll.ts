/**
 * `idolens enroll GROUP MEMBER --search "QUERY"`: search, clean by consensus, then review: `--yes` accepts every
 * kept photo, a terminal asks, anything else keeps the set pending for `idolens pending accept|discard`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { plural } from '../../core/format.ts';
import { acceptPending, discardPending, parseNumbers } from '../../core/search/review.ts';
import { MAX_SEARCH_COUNT, type SearchOutcome } from '../../core/search/search-enroll.ts';
import { SEARCH_PROVIDERS, type SearchProviderId } from '../../core/search/types.ts';
import { searchMemberPhotos, type SearchResultData } from '../../services/search-service.ts';
import { createIo, EXIT, type CliIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';
import { UsageError } from '../usage-error.ts';
import { CLI_PHRASING } from '../../answers/phrasing.ts';
import { refuseLikelyTypo } from '../../core/dataset/member-name-check.ts';
import { displayName } from '../../core/store/index.ts';

export interface SearchOptions {
  search: string;
  count?: string;
  provider?: string;
  yes?: boolean;
  json?: boolean;
  by?: string;
  sheet?: string;
  new?: boolean;
}

type Decision = { kind: 'accept'; except: number[] } | { kind: 'discard' } | { kind: 'keep' };

function outcomeJson(outcome: SearchOutcome, member: string, status: string): Record<string, unknown> {
  return {
    file: outcome.source, member, status, source: outcome.page ?? outcome.source, licence: outcome.licence ?? null,
    ...(outcome.author === undefined ? {} : { author: outcome.author }),
    ...(outcome.number === undefined ? {} : { number: outcome.number, distance: outcome.distance }),
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason.message, code: outcome.reason.code }),
  };
}

function outcomeText(outcome: SearchOutcome, status: string): string {
  if (outcome.number !== undefined) return `${status.padEnd(9)} #${outcome.number} ${outcome.source}${outcome.licence === undefined ? '' : ` (${outcome.licence})`}`;
  return `${status.padEnd(9)} ${outcome.source}: ${outcome.reason?.message ?? ''}`;
}

function parseCount(text: string | undefined): number {
  const count = Number(text ?? '30');
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEARCH_COUNT) throw new UsageError(`-n takes a whole number from 1 to ${MAX_SEARCH_COUNT}.`);
  return count;
}

function parseProvider(text: string | undefined): SearchProviderId | undefined {
  if (text === undefined) return undefined;
  const provider = SEARCH_PROVIDERS.find((id) => id === text);
  if (provider === undefined) throw new UsageError(`--provider takes ${SEARCH_PROVIDERS.join(', ')}.`);
  return provider;
}

/** At a terminal: Enter or "y" accepts all, "n" none, numbers leave those out. */
async function askAtTerminal(found: SearchResultData): Promise<Decision> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`Add ${plural(found.kept, 'photo')} to ${found.member}? [Y]es / [n]o / numbers to leave out (e.g. 2 5): `)).trim().toLowerCase();
    if (answer === '' || answer === 'y' || answer === 'yes') return { kind: 'accept', except: [] };
    if (answer === 'n' || answer === 'no') return { kind: 'discard' };
    return { kind: 'accept', except: parseNumbers(answer) };
  } finally {
    prompt.close();
  }
}

async function decide(found: SearchResultData, options: SearchOptions): Promise<Decision> {
  if (options.yes === true) return { kind: 'accept', except: [] };
  if (process.stdin.isTTY && options.json !== true) return askAtTerminal(found);
  return { kind: 'keep' };
}

function report(io: CliIo, result: SearchResultData, decision: Decision): void {
  for (const outcome of result.outcomes) {
    const kept = outcome.status === 'pending';
    const accepted = decision.kind === 'accept' && kept && !decision.except.includes(outcome.number ?? 0);
    const status = !kept ? outcome.status : accepted ? 'accepted' : decision.kind === 'keep' ? 'pending' : 'left out';
    if (io.json) io.resultJson(outcomeJson(outcome, result.member, status));
    else io.result(outcomeText(outcome, status));
  }
}

export async function enrollFromSearch(command: Command, options: SearchOptions, group: string, member: string, state: CommandState): Promise<void> {
  const io = createIo(options.json === true);
  const count = parseCount(options.count);
  const provider = parseProvider(options.provider);
  await withRuntime(command, async ({ context }, server, config) => {
    if (options.new !== true) refuseLikelyTypo(await context.store.requireGroup(server, group), displayName(member), (name) => CLI_PHRASING.newMember(group, name));
    const { data: result, reviewSheet } = await searchMemberPhotos(context, { server, group, member, query: options.search, count, ...(provider === undefined ? {} : { provider }), addedBy: options.by ?? 'cli' });
    const id = result.pendingId;
    if (id === undefined || reviewSheet === undefined) {
      report(io, result, { kind: 'keep' });
      io.info(`${result.member}: none of the ${result.outcomes.length} results was kept.`);
      state.exitCode = EXIT.badInput;
      return;
    }
    const sheetPath = path.resolve(options.sheet ?? path.join(config.dataDir, 'pending', `${id}.jpg`));
    await mkdir(path.dirname(sheetPath), { recursive: true });
    await writeFile(sheetPath, reviewSheet);
    io.info(`${result.kept} of ${result.outcomes.length} results kept for ${result.member}; review sheet: ${sheetPath}`);
    const decision = await decide(result, options);
    report(io, result, decision);
    if (decision.kind === 'accept') {
      const accepted = await acceptPending(context, server, id, decision.except);
      io.info(`${result.member}: ${plural(accepted.accepted, 'photo')} added to ${accepted.group.name}.`);
    } else if (decision.kind === 'discard') {
      await discardPending(context, server, id);
      io.info('Nothing was added.');
    } else {
      io.info(`Pending set ${id} is kept for 24 hours: "idolens pending accept ${id} [--except 2,5]" adds it, "idolens pending discard ${id}" drops it.`);
    }
  });
}

export function searchRefusal(paths: readonly string[], options: { search?: string | undefined; queue?: boolean | undefined }): void {
  if (options.search === undefined) {
    if (paths.length === 0) throw new UsageError('give the photos to enroll (files, folders, zips or URLs), or --search "QUERY".');
    return;
  }
  if (paths.length > 0) throw new UsageError('give photos or --search, not both.');
  if (options.queue === true) throw new UsageError('--search runs in this process; it does not go through --queue yet.');
}
