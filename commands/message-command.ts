import { z } from 'zod';
import type { Command, CommandContext, CommandOutcome } from './command.ts';
import type { Attachment } from './option-values.ts';
import { attachmentSchema } from './options.ts';

const schema = z.object({ media: attachmentSchema });

/** A command run on a message: the adapter hands in the message's picture or clip as `media`. */
export function messageCommand(name: string, description: string, media: 'image' | 'video', run: (context: CommandContext, media: Attachment) => Promise<CommandOutcome>) {
  return {
    kind: 'message', media, name, description, access: 'everyone', scope: 'server', privateAnswer: false, options: [], subcommands: [], schema,
    run: (context, input) => run(context, input.media),
  } satisfies Command<typeof schema>;
}
