import type { Command } from 'commander';
import type { StoredGroupModel } from '../../core/training/train-group.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../main.ts';
import { withRuntime } from '../session.ts';

export function registerMembers(program: Command, _state: CommandState): void {
  program
    .command('members <group>')
    .description('list a group\'s members with photo counts, flagged photos and (when trained) accuracy')
    .option('--json', 'one JSON line per member')
    .action(async (groupName: string, options: { json?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        const group = await context.store.requireGroup(server, groupName);
        const samples = await context.store.getSamples(server, group.name);
        const stored = await context.store.getModel<StoredGroupModel>(server, group.name);
        const fresh = stored !== undefined && stored.groupRevision === group.revision;
        for (const member of group.members) {
          const flagged = samples.filter((sample) => sample.memberKey === member.key && sample.flagged).length;
          const measured = fresh ? stored.payload.report.members.find((entry) => entry.name === member.name) : undefined;
          const accuracy = measured?.accuracy ?? null;
          if (io.json) io.resultJson({ member: member.name, samples: member.sampleIds.length, flagged, accuracy, trained: fresh });
          else io.result(`${member.name}: ${member.sampleIds.length} photos${flagged > 0 ? `, ${flagged} to review` : ''}${accuracy === null ? '' : `, ${Math.round(accuracy * 100)}% recognised`}`);
        }
        if (!io.json) {
          if (group.members.length === 0) io.info(`${group.name} has no members yet: idolens enroll "${group.name}" MEMBER PHOTOS...`);
          for (const pair of fresh ? stored.payload.report.confusedPairs : []) io.result(`confused: ${pair.hint}`);
          if (!fresh && group.members.length > 0) io.info('Not trained on the current photos yet (identify trains first, or run: idolens train).');
        }
      });
    });
}
