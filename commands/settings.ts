import { z } from 'zod';
import { DEFAULT_REQUIRED_CONFIDENCE } from '../core/classifier/index.ts';
import type { CoreContext } from '../core/context.ts';
import { isIdolensError } from '../core/errors.ts';
import { OUTPUT_SIZES, describeOutputSize } from '../core/output-size.ts';
import type { GroupRecord, ServerSettingsPatch } from '../core/store/index.ts';
import { reply, type Command, type CommandContext } from './command.ts';
import type { RawOptions } from './option-values.ts';
import { usageError } from './text-grammar.ts';
import { groupOption, resolveGroup, serverOf } from './options.ts';

const ORIGINAL = 'original';

const SETTINGS_USAGE = '[group <name>] [threshold 0.6] [default <group>] [size small|medium|large|original] [reset]';
const TEXT_KEYS: Record<string, string> = { group: 'group', threshold: 'unknown_threshold', default: 'default_group', size: 'output_size' };

/** "/settings threshold 0.6 size medium default ITZY", "/settings reset". */
function typedSettings(words: string[]): RawOptions {
  const options: Record<string, string | number | boolean> = {};
  for (let index = 0; index < words.length; index += 1) {
    const key = words[index]?.toLowerCase() ?? '';
    if (key === 'reset') {
      options.reset = true;
      continue;
    }
    const option = TEXT_KEYS[key];
    const value = words[index + 1];
    if (option === undefined || value === undefined) throw usageError('settings', SETTINGS_USAGE);
    options[option] = option === 'unknown_threshold' ? Number(value) : value;
    index += 1;
  }
  return options;
}

const schema = z.object({
  group: z.string().optional(),
  unknown_threshold: z.number().gt(0).lt(1).optional(),
  default_group: z.string().optional(),
  output_size: z.enum([...OUTPUT_SIZES, ORIGINAL]).optional(),
  reset: z.boolean().optional(),
});

type SettingsInput = z.infer<typeof schema>;

function serverPatch(input: SettingsInput): ServerSettingsPatch {
  if (input.reset === true) return { defaultGroup: null, outputSize: null };
  return {
    ...(input.default_group === undefined ? {} : { defaultGroup: input.default_group }),
    ...(input.output_size === undefined ? {} : { outputSize: input.output_size === ORIGINAL ? null : input.output_size }),
  };
}

/**
 * The group whose threshold changes: the named one (or the new default group), else the default or only group.
 * A reset without a group resets the threshold of the group commands would use, if there is one.
 */
async function thresholdChange({ core, phrasing }: CommandContext, server: string, input: SettingsInput): Promise<{ group: string; value: number | null } | undefined> {
  const named = input.group ?? input.default_group;
  if (input.unknown_threshold !== undefined) return { group: await resolveGroup(core, server, named, phrasing), value: input.unknown_threshold };
  if (input.reset !== true) return undefined;
  try {
    return { group: await resolveGroup(core, server, named, phrasing), value: null };
  } catch (error) {
    if (named === undefined && isIdolensError(error) && (error.code === 'group_required' || error.code === 'group_not_found')) return undefined;
    throw error;
  }
}

function thresholdText(group: GroupRecord): string {
  const value = group.settings.unknownThreshold;
  return `${group.name} ${value ?? DEFAULT_REQUIRED_CONFIDENCE}${value === undefined ? ' (default)' : ''}`;
}

async function settingsText(core: CoreContext, server: string): Promise<string> {
  const settings = await core.store.serverSettings(server);
  const groups = await core.store.listGroups(server);
  return [
    `Default group: ${settings.defaultGroup ?? 'none (commands use the only group, or ask which one)'}.`,
    `Output size: ${describeOutputSize(settings.outputSize)}.`,
    `Unknown threshold: ${groups.length === 0 ? `no groups yet (default ${DEFAULT_REQUIRED_CONFIDENCE})` : groups.map(thresholdText).join(', ')}.`,
  ].join('\n');
}

export const settingsCommand = {
  kind: 'slash',
  name: 'settings',
  description: 'Show or change this server\'s default group, answer size and how sure I must be to name a face',
  access: 'admin',
  scope: 'server',
  privateAnswer: true,
  options: [
    groupOption,
    { name: 'unknown_threshold', description: `0–1, default ${DEFAULT_REQUIRED_CONFIDENCE}: higher means fewer mistakes and more "unknown"`, kind: 'number', required: false, min: 0.01, max: 0.99 },
    { name: 'default_group', description: 'The group commands use when none is named', kind: 'string', required: false, autocomplete: 'group', maxLength: 40 },
    { name: 'output_size', description: 'How large labelled pictures and clips come back', kind: 'string', required: false, choices: [...OUTPUT_SIZES, ORIGINAL] },
    { name: 'reset', description: 'Back to the defaults (the server\'s, and the named group\'s threshold)', kind: 'boolean', required: false },
  ],
  subcommands: [],
  schema,
  text: { usage: SETTINGS_USAGE, parse: typedSettings },
  async run(context, input) {
    const server = serverOf(context);
    const { store } = context.core;
    // Resolved before the server's settings change, so that a reset still finds the group it was using.
    const change = await thresholdChange(context, server, input);
    const patch = serverPatch(input);
    if (Object.keys(patch).length > 0) await store.updateServerSettings(server, patch);
    if (change !== undefined) await store.updateSettings(server, change.group, { unknownThreshold: change.value });
    return reply(await settingsText(context.core, server));
  },
} satisfies Command<typeof schema>;
