/** `idolens pack export GROUP -o FILE` and `idolens pack import FILE [--as NAME]`: a group as one zip, and back. */
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { IdolensError } from '../../core/errors.ts';
import { PACK_LIMITS } from '../../core/pack/index.ts';
import { exportGroupPack, exportSummary, importGroupPack, importSummary } from '../../services/pack-service.ts';
import type { CommandState } from '../command-state.ts';
import { createIo } from '../io.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import { withRuntime } from '../session.ts';

interface ExportOptions {
  output: string;
  sourceName?: string;
  force?: boolean;
  json?: boolean;
}

interface ImportOptions {
  as?: string;
  json?: boolean;
}

/** Written beside the output and moved into place: a failed export never leaves half a pack. */
async function writeWhole(file: string, bytes: Buffer): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    await writeFile(partial, bytes);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/** The pack's bytes, refused before reading when the file is larger than a pack may be. */
async function readPackFile(file: string): Promise<Buffer> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new IdolensError('not_found', `I could not find the pack ${file}.`, { file });
  if (info.size > PACK_LIMITS.maxPackBytes) throw new IdolensError('pack_too_large', undefined, { bytes: info.size });
  return readFile(file);
}

export function registerPack(program: Command, _state: CommandState): void {
  const pack = program.command('pack').description('share a group with another server: its face crops and descriptors in one zip (no full photos)');
  pack
    .command('export <group>')
    .description('write the group as a pack (.zip)')
    .requiredOption('-o, --output <file>', 'the pack file to write')
    .option('--source-name <name>', 'name this server in the pack (left out unless given)')
    .option(...FORCE_OPTION)
    .option('--json', 'the result as one JSON line')
    .action(async (group: string, options: ExportOptions, command: Command) => {
      const io = createIo(options.json === true);
      await guardOutputs([options.output], [], options.force === true);
      const exported = await withRuntime(command, ({ context }, server) => exportGroupPack(context, {
        server, group, ...(options.sourceName === undefined ? {} : { sourceName: options.sourceName }),
      }));
      await writeWhole(options.output, exported.bytes);
      if (io.json) io.resultJson({ group: exported.group, file: options.output, bytes: exported.bytes.length, members: exported.members, samples: exported.samples, leftOut: exported.leftOut });
      else io.result(`${exportSummary(exported)} Written to ${options.output}.`);
    });
  pack
    .command('import <file>')
    .description('create a group from a pack (refused whole if anything in it is wrong)')
    .option('--as <name>', 'the new group\'s name (default: the pack\'s)')
    .option('--json', 'the result as one JSON line')
    .action(async (file: string, options: ImportOptions, command: Command) => {
      const io = createIo(options.json === true);
      const bytes = await readPackFile(file);
      const report = await withRuntime(command, ({ context }, server) => importGroupPack(context, {
        server, bytes, fileName: path.basename(file), by: 'cli',
        ...(options.as === undefined ? {} : { as: options.as }),
        renameHint: () => 'add --as NAME to import it under another name.',
      }));
      if (io.json) io.resultJson(report);
      else io.result(importSummary(report));
    });
}
