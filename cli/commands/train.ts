import type { Command } from 'commander';
import type { TrainingReport } from '../../core/classifier/index.ts';
import { formatPercent, plural } from '../../core/format.ts';
import { needPhotosAgainLines, type MemberNeedingPhotos } from '../../core/training/reembed.ts';
import { trainGroupModel } from '../../services/train-service.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withQueue } from '../queue-session.ts';
import { withRuntime } from '../session.ts';

const percent = (value: number | null): string => (value === null ? 'n/a' : formatPercent(value));

export function reportJson(group: string, report: TrainingReport, needPhotosAgain: readonly MemberNeedingPhotos[]): Record<string, unknown> {
  return {
    group,
    method: report.method,
    accuracy: report.accuracy,
    members: report.members.map((member) => ({ name: member.name, samples: member.samples, accuracy: member.accuracy, correct: member.correct, wrong: member.wrong, unknown: member.unknown })),
    confusedPairs: report.confusedPairs.map((pair) => ({ a: pair.a, b: pair.b, mistakes: pair.mistakes, similarity: Number(pair.similarity.toFixed(3)), hint: pair.hint })),
    needPhotosAgain,
  };
}

export function reportLines(group: string, report: TrainingReport, needPhotosAgain: readonly MemberNeedingPhotos[]): string[] {
  const lines = [`${group}: cross-validated accuracy ${percent(report.accuracy)} (${report.method})`];
  for (const member of report.members) {
    const detail = member.accuracy === null ? 'add a second photo to measure' : `${member.correct} right, ${member.wrong} wrong, ${member.unknown} unknown`;
    lines.push(`  ${member.name}: ${plural(member.samples, 'photo')}, ${percent(member.accuracy)} (${detail})`);
  }
  for (const pair of report.confusedPairs) lines.push(`  confused: ${pair.hint}${pair.mistakes > 0 ? ` (${pair.mistakes} mistakes)` : ''}`);
  lines.push(...needPhotosAgainLines(needPhotosAgain).map((line) => `  ${line}`));
  return lines;
}

export function registerTrain(program: Command, _state: CommandState): void {
  program
    .command('train <group>')
    .description('train the group now and show cross-validated accuracy and confused pairs')
    .option('--json', 'one JSON object')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .action(async (group: string, options: { json?: boolean; queue?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      const trained = options.queue === true
        ? (await withQueue(command, (session) => session.run('train', { group, force: true }))).answer.data
        : await withRuntime(command, ({ context }, server) => trainGroupModel(context, { server, group, force: true }));
      if (io.json) io.resultJson(reportJson(trained.group, trained.report, trained.needPhotosAgain));
      else for (const line of reportLines(trained.group, trained.report, trained.needPhotosAgain)) io.result(line);
    });
}
