import type { Command } from 'commander';
import { groupOverview, memberOverviewLine } from '../../core/dataset/overview.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';

export function registerMembers(program: Command, _state: CommandState): void {
  program
    .command('members <group>')
    .description('list a group\'s members with photo counts, flagged photos and (when trained) accuracy')
    .option('--json', 'one JSON line per member')
    .action(async (groupName: string, options: { json?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        const overview = await groupOverview(context, server, groupName);
        for (const entry of overview.members) {
          if (io.json) io.resultJson({ member: entry.member, samples: entry.samples, flagged: entry.flagged, needPhotosAgain: entry.needPhotosAgain, accuracy: entry.accuracy, trained: overview.trained });
          else io.result(memberOverviewLine(entry));
        }
        if (!io.json) {
          if (overview.members.length === 0) io.info(`${overview.group} has no members yet: idolens enroll "${overview.group}" MEMBER PHOTOS...`);
          for (const hint of overview.confusions) io.result(`confused: ${hint}`);
          if (!overview.trained && overview.members.length > 0) io.info('Not trained on the current photos yet (identify trains first, or run: idolens train).');
        }
      });
    });
}
