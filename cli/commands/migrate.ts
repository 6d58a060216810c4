import type { Command } from 'commander';
import { plural } from '../../core/format.ts';
import { needPhotosAgainLines, reembedGroup, type ReembedProgress, type ReembedReport } from '../../core/training/reembed.ts';
import { createIo, type CliIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';

function reportLines(report: ReembedReport): string[] {
  const head = report.reembedded === 0 && report.needPhotosAgain.length === 0
    ? `${report.group}: already on ${report.embedder} (${plural(report.current, 'photo')}).`
    : `${report.group}: ${plural(report.reembedded, 'photo')} re-embedded with ${report.embedder}, ${report.current} already on it.`;
  return [head, ...needPhotosAgainLines(report.needPhotosAgain).map((line) => `  ${line}`)];
}

/** At a terminal, one line rewritten in place; elsewhere nothing (logs say when a group starts). */
function progressPrinter(io: CliIo, group: string): ((progress: ReembedProgress) => void) | undefined {
  if (io.json || !process.stderr.isTTY) return undefined;
  return ({ done, total }) => process.stderr.write(`\rre-embedding ${group}: ${done}/${total}${done === total ? '\n' : ''}`);
}

export function registerMigrate(program: Command, state: CommandState): void {
  program
    .command('migrate [group]')
    .description('re-embed a group (or every group of the server) with the face model in use, from the face crops its photos keep')
    .option('--json', 'one JSON line per group')
    .action(async (groupName: string | undefined, options: { json?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        const groups = groupName === undefined ? (await context.store.listGroups(server)).map((group) => group.name) : [groupName];
        if (groups.length === 0 && !io.json) io.info('No groups yet: nothing to migrate.');
        for (const group of groups) {
          const report = await reembedGroup(context, server, group, progressPrinter(io, group));
          if (report.needPhotosAgain.length > 0) state.exitCode = 1;
          if (io.json) io.resultJson(report);
          else for (const line of reportLines(report)) io.result(line);
        }
      });
    });
}
