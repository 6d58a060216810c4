import type { Command } from 'commander';
import { plural } from '../../core/format.ts';
import { parseNumbers } from '../../core/search/review.ts';
import { keepFlaggedPhotos } from '../../core/dataset/overview.ts';
import type { CommandState } from '../command-state.ts';
import { createIo } from '../io.ts';
import { withRuntime } from '../session.ts';

interface ReviewOptions {
  ok?: string;
  json?: boolean;
}

/** A name as typed in a shell command: quoted when it has spaces or quotes. */
function shellWord(name: string): string {
  return /^[\p{L}\p{N}._-]+$/u.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`;
}

export function registerReview(program: Command, _state: CommandState): void {
  program
    .command('review <group> <member>')
    .description('list a member\'s photos flagged for review, or mark them checked and kept (--ok), so they no longer count as to review')
    .option('--ok <numbers>', 'photo numbers from the contact sheet (idolens sheet) that you checked, e.g. 3 or 3,7; forget --sample N removes one instead')
    .option('--json', 'one JSON line')
    .action(async (groupName: string, memberName: string, options: ReviewOptions, command: Command) => {
      const io = createIo(options.json === true);
      const numbers = options.ok === undefined ? [] : parseNumbers(options.ok);
      await withRuntime(command, async ({ context }, server) => {
        const { group, member, checked, toReview } = await keepFlaggedPhotos(context, server, groupName, memberName, numbers);
        if (io.json) {
          io.resultJson({ group, member, checked, toReview });
          return;
        }
        if (checked.length > 0) io.result(`${member}: ${checked.map((number) => `#${number}`).join(', ')} checked.`);
        io.result(`${member}: ${plural(toReview.length, 'photo')} to review${toReview.length === 0 ? '.' : ':'}`);
        const [g, m] = [shellWord(group), shellWord(member)];
        for (const entry of toReview) io.result(`  #${entry.number}: ${entry.reason} (keep it: idolens review ${g} ${m} --ok ${entry.number}; remove it: idolens forget ${g} ${m} --sample ${entry.number})`);
      });
    });
}
