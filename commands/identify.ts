import { z } from 'zod';
import type { Command } from './command.ts';
import { optionalGroup } from './text-grammar.ts';
import { attachmentRef, attachmentSchema, checkAttachment, groupAndOutputLimits, groupOption, serverOf } from './options.ts';

const schema = z.object({ image: attachmentSchema, group: z.string().optional() });

export const identifyCommand = {
  kind: 'slash',
  name: 'identify',
  description: 'Name every face in a picture',
  access: 'everyone',
  scope: 'server',
  privateAnswer: false,
  options: [
    { name: 'image', description: 'The picture (a screenshot, a photo)', kind: 'attachment', required: true },
    groupOption,
  ],
  subcommands: [],
  schema,
  text: {
    usage: '[group] as the caption of a photo, or as a reply to one',
    parse: (words, media) => ({ ...optionalGroup(words), ...(media.images[0] === undefined ? {} : { image: media.images[0] }) }),
    needsMedia: 'image',
    plainMedia: 'image',
  },
  async run(context, input) {
    const server = serverOf(context);
    const image = checkAttachment(input.image, 'image', context.core.mediaLimits.maxBytes);
    const { group, limits } = await groupAndOutputLimits(context, server, input.group);
    const inputs = [{ ref: attachmentRef(image) }];
    return {
      kind: 'job',
      working: `Looking at ${image.name} for ${group} members…`,
      job: { name: 'identify', payload: { group, detector: 'accurate', render: true, inputs, ...(limits === undefined ? {} : { maxSide: limits.pictureSide }) } },
    };
  },
} satisfies Command<typeof schema>;
