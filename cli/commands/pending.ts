/** `idolens pending accept|discard ID`: the review of a set an image search left pending. */
import type { Command } from 'commander';
import { plural } from '../../core/format.ts';
import { acceptPending, discardPending, parseNumbers } from '../../core/search/review.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';

interface PendingOptions {
  except?: string;
  json?: boolean;
}

export function registerPending(program: Command, _state: CommandState): void {
  const pending = program.command('pending').description('decide on photos an image search found (enroll --search)');
  pending
    .command('accept <id>')
    .description('add the pending photos to the member (all, or all but --except)')
    .option('--except <numbers>', 'numbers on the review sheet to leave out, e.g. 2,5')
    .option('--json', 'the result as one JSON line')
    .action(async (id: string, options: PendingOptions, command: Command) => {
      const io = createIo(options.json === true);
      const except = options.except === undefined ? [] : parseNumbers(options.except);
      const accepted = await withRuntime(command, ({ context }, server) => acceptPending(context, server, id, except));
      if (io.json) io.resultJson({ id, group: accepted.group.name, member: accepted.set.member, accepted: accepted.accepted, leftOut: accepted.left });
      else io.result(`${accepted.set.member}: ${plural(accepted.accepted, 'photo')} added to ${accepted.group.name}${accepted.left.length === 0 ? '' : ` (left out ${accepted.left.map((number) => `#${number}`).join(', ')})`}.`);
    });
  pending
    .command('discard <id>')
    .description('drop the pending photos; nothing is added')
    .option('--json', 'the result as one JSON line')
    .action(async (id: string, options: PendingOptions, command: Command) => {
      const io = createIo(options.json === true);
      const set = await withRuntime(command, ({ context }, server) => discardPending(context, server, id));
      if (io.json) io.resultJson({ id, group: set.group, member: set.member, discarded: set.items.length });
      else io.result(`Dropped ${plural(set.items.length, 'pending photo')} of ${set.member}.`);
    });
}
