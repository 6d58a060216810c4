import type { Command } from 'commander';
import { DEFAULT_REQUIRED_CONFIDENCE } from '../../core/classifier/index.ts';
import { IdolensError } from '../../core/errors.ts';
import type { GroupSettingsPatch } from '../../core/store/index.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';

interface SettingsOptions {
  unknownThreshold?: string;
  reset?: boolean;
  json?: boolean;
}

function thresholdPatch(options: SettingsOptions): GroupSettingsPatch {
  if (options.reset) return { unknownThreshold: null };
  if (options.unknownThreshold === undefined) return {};
  const value = Number(options.unknownThreshold);
  if (!Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new IdolensError('invalid_setting', `--unknown-threshold takes a number between 0 and 1 (default ${DEFAULT_REQUIRED_CONFIDENCE}), not "${options.unknownThreshold}".`);
  }
  return { unknownThreshold: value };
}

export function registerSettings(program: Command, _state: CommandState): void {
  program
    .command('settings <group>')
    .description('show or change a group\'s settings')
    .option('--unknown-threshold <n>', `how sure a match must be to name a face, 0..1 (default ${DEFAULT_REQUIRED_CONFIDENCE}; higher: fewer mistakes, more "unknown")`)
    .option('--reset', 'back to the defaults')
    .option('--json', 'one JSON line')
    .action(async (groupName: string, options: SettingsOptions, command: Command) => {
      const io = createIo(options.json === true);
      const patch = thresholdPatch(options);
      await withRuntime(command, async ({ context }, server) => {
        const group = Object.keys(patch).length === 0
          ? await context.store.requireGroup(server, groupName)
          : await context.store.updateSettings(server, groupName, patch);
        const unknownThreshold = group.settings.unknownThreshold ?? DEFAULT_REQUIRED_CONFIDENCE;
        if (io.json) io.resultJson({ group: group.name, unknownThreshold, default: group.settings.unknownThreshold === undefined });
        else io.result(`${group.name}: unknown threshold ${unknownThreshold}${group.settings.unknownThreshold === undefined ? ' (default)' : ''}`);
      });
    });
}
