import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { IdolensError } from '../../core/errors.ts';
import { memberSheet } from '../../core/dataset/overview.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import { plural } from '../../core/format.ts';

function sampleNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new IdolensError('sample_not_found', `"${raw}" is not a photo number (use the numbers on the contact sheet: 1, 2, 3…).`);
  return value;
}

export function registerSheetAndForget(program: Command, _state: CommandState): void {
  program
    .command('sheet <group> <member>')
    .description('write a numbered contact sheet of a member\'s photos')
    .requiredOption('-o, --output <file>', 'where to write the JPEG')
    .option('--json', 'one JSON line')
    .option(...FORCE_OPTION)
    .action(async (groupName: string, memberName: string, options: { output: string; json?: boolean; force?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      await guardOutputs([options.output], [], options.force === true);
      await withRuntime(command, async ({ context }, server) => {
        const sheet = await memberSheet(context, server, groupName, memberName);
        await fs.mkdir(path.dirname(path.resolve(options.output)), { recursive: true });
        await fs.writeFile(options.output, sheet.jpeg);
        const { flagged } = sheet;
        if (io.json) io.resultJson({ member: sheet.member, samples: sheet.samples, flagged, output: options.output });
        else {
          io.result(`Wrote ${options.output}: ${plural(sheet.samples, 'photo')} of ${sheet.member}.`);
          for (const entry of flagged) io.result(`  #${entry.number} to review: ${entry.reason}`);
        }
      });
    });
  program
    .command('forget <group> <member>')
    .description('remove a member, or one photo of theirs by its contact-sheet number')
    .option('--sample <n>', 'only this photo (number on the contact sheet)')
    .option('--json', 'one JSON line')
    .action(async (groupName: string, memberName: string, options: { sample?: string; json?: boolean }, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        if (options.sample === undefined) {
          await context.store.forgetMember(server, groupName, memberName);
          if (io.json) io.resultJson({ group: groupName, member: memberName, forgotten: 'member' });
          else io.result(`Forgot ${memberName} and all their photos.`);
          return;
        }
        const number = sampleNumber(options.sample);
        await context.store.forgetSample(server, groupName, memberName, number);
        if (io.json) io.resultJson({ group: groupName, member: memberName, forgotten: 'sample', sample: number });
        else io.result(`Forgot photo #${number} of ${memberName}. The numbers after it moved up by one.`);
      });
    });
}
