import { z } from 'zod';
import { DEFAULT_REQUIRED_CONFIDENCE } from '../core/classifier/index.ts';
import type { GroupSettingsPatch } from '../core/store/index.ts';
import { reply, type Command } from './command.ts';
import { groupOption, resolveGroup, serverOf } from './options.ts';

const schema = z.object({
  group: z.string().optional(),
  unknown_threshold: z.number().gt(0).lt(1).optional(),
  reset: z.boolean().optional(),
});

function patchOf(input: z.infer<typeof schema>): GroupSettingsPatch {
  if (input.reset === true) return { unknownThreshold: null };
  return input.unknown_threshold === undefined ? {} : { unknownThreshold: input.unknown_threshold };
}

export const settingsCommand = {
  kind: 'slash',
  name: 'settings',
  description: 'Show or change how sure I must be to name a face',
  access: 'admin',
  scope: 'server',
  privateAnswer: true,
  options: [
    groupOption,
    { name: 'unknown_threshold', description: `0–1, default ${DEFAULT_REQUIRED_CONFIDENCE}: higher means fewer mistakes and more "unknown"`, kind: 'number', required: false, min: 0.01, max: 0.99 },
    { name: 'reset', description: 'Back to the defaults', kind: 'boolean', required: false },
  ],
  subcommands: [],
  schema,
  async run(context, input) {
    const server = serverOf(context);
    const name = await resolveGroup(context.core, server, input.group);
    const patch = patchOf(input);
    const group = Object.keys(patch).length === 0 ? await context.core.store.requireGroup(server, name) : await context.core.store.updateSettings(server, name, patch);
    const threshold = group.settings.unknownThreshold ?? DEFAULT_REQUIRED_CONFIDENCE;
    return reply(`${group.name}: unknown threshold ${threshold}${group.settings.unknownThreshold === undefined ? ' (default)' : ''}.`);
  },
} satisfies Command<typeof schema>;
