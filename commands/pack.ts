import { z } from 'zod';
import { IdolensError } from '../core/errors.ts';
import { formatSize } from '../core/format.ts';
import { PACK_LIMITS } from '../core/pack/index.ts';
import { displayName } from '../core/store/index.ts';
import { exportGroupPack, exportSummary, packFileName } from '../services/pack-service.ts';
import { reply, type Command, type CommandContext, type CommandOutcome } from './command.ts';
import type { Attachment, RawOptions } from './option-values.ts';
import { attachmentRef, attachmentSchema, checkAttachment, requiredGroupOption, serverOf } from './options.ts';
import { usageError, type MessageMedia } from './text-grammar.ts';

const schema = z.discriminatedUnion('subcommand', [
  z.object({ subcommand: z.literal('export'), group: z.string() }),
  z.object({ subcommand: z.literal('import'), file: attachmentSchema, as: z.string().optional() }),
]);

const PACK_USAGE = 'export <group> | import [as <new name>] as the caption of a pack (.zip), or as a reply to one';

/** "/pack export <group…>", "/pack import [as <name…>]" with the pack attached or replied to. */
function packText(words: string[], media: MessageMedia): RawOptions {
  const [subcommand = '', ...rest] = words;
  switch (subcommand.toLowerCase()) {
    case 'export':
      if (rest.length > 0) return { subcommand: 'export', group: rest.join(' ') };
      break;
    case 'import': {
      const named = rest[0]?.toLowerCase() === 'as' && rest.length > 1 ? { as: rest.slice(1).join(' ') } : {};
      if (rest.length > 0 && !('as' in named)) break;
      if (media.archive === undefined) throw new IdolensError('no_media', 'Send the pack (.zip) with the caption /pack import [as <new name>], or reply to it with that.');
      return { subcommand: 'import', ...named, file: media.archive };
    }
    default: break;
  }
  throw usageError('pack', PACK_USAGE);
}

async function exportAnswer(context: CommandContext, group: string): Promise<CommandOutcome> {
  const server = serverOf(context);
  const pack = await exportGroupPack(context.core, { server, group: (await context.core.store.requireGroup(server, group)).name });
  const summary = exportSummary(pack);
  if (pack.bytes.length > context.uploadLimitBytes) {
    return reply(`${summary} The pack is ${formatSize(pack.bytes.length)}, more than the ${formatSize(context.uploadLimitBytes)} I may send here: export it with the idolens command line instead (idolens pack export ${pack.group} -o FILE).`);
  }
  return reply(`${summary} Import it on another server with ${context.phrasing.command('pack', 'import')}.`, [{ name: packFileName(pack.group), contentType: 'application/zip', bytes: pack.bytes }]);
}

function importJob(context: CommandContext, file: Attachment, as: string | undefined): CommandOutcome {
  serverOf(context);
  const pack = checkAttachment(file, 'archive', PACK_LIMITS.maxPackBytes);
  const group = as === undefined ? undefined : displayName(as);
  return {
    kind: 'job',
    working: `Importing the pack ${pack.name}${group === undefined ? '' : ` as ${group}`} (every face is checked first)…`,
    job: { name: 'pack', payload: { file: attachmentRef(pack), ...(group === undefined ? {} : { as: group }) } },
  };
}

export const packCommand = {
  kind: 'slash',
  name: 'pack',
  description: 'Share a group with another server: its face pictures and descriptors in one zip (no full photos)',
  access: 'admin',
  scope: 'server',
  privateAnswer: true,
  options: [],
  subcommands: [
    { name: 'export', description: 'The group as a pack (.zip) to import elsewhere', options: [requiredGroupOption] },
    {
      name: 'import',
      description: 'Create a group from a pack (refused whole if anything in it is wrong)',
      options: [
        { name: 'file', description: 'The pack (.zip) from /pack export', kind: 'attachment', required: true },
        { name: 'as', description: 'The new group\'s name (default: the pack\'s)', kind: 'string', required: false, maxLength: 40 },
      ],
    },
  ],
  schema,
  text: { usage: PACK_USAGE, parse: packText },
  async run(context, input) {
    return input.subcommand === 'export' ? exportAnswer(context, input.group) : importJob(context, input.file, input.as);
  },
} satisfies Command<typeof schema>;
