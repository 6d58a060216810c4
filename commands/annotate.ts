import { z } from 'zod';
import type { Command } from './command.ts';
import { optionalGroup } from './text-grammar.ts';
import { attachmentRef, attachmentSchema, checkAttachment, groupAndOutputLimits, groupOption, serverOf } from './options.ts';

/** Room left in the upload for the screen-time chart that goes with the clip. */
const CHART_ALLOWANCE_BYTES = 512 * 1024;

const schema = z.object({ video: attachmentSchema, group: z.string().optional() });

export const annotateCommand = {
  kind: 'slash',
  name: 'annotate',
  description: 'Label the faces in a clip, with its sound, and chart who was on screen',
  access: 'everyone',
  scope: 'server',
  privateAnswer: false,
  options: [
    { name: 'video', description: 'The clip (MP4, MOV, WebM…)', kind: 'attachment', required: true },
    groupOption,
  ],
  subcommands: [],
  schema,
  text: {
    usage: '[group] as the caption of a clip, or as a reply to one',
    parse: (words, media) => ({ ...optionalGroup(words), ...(media.video === undefined ? {} : { video: media.video }) }),
    needsMedia: 'video',
    plainMedia: 'video',
  },
  async run(context, input) {
    const server = serverOf(context);
    const video = checkAttachment(input.video, 'video', context.core.videoLimits.maxBytes);
    const { group, limits } = await groupAndOutputLimits(context, server, input.group);
    const maxBytes = Math.max(context.uploadLimitBytes - CHART_ALLOWANCE_BYTES, Math.floor(context.uploadLimitBytes / 2));
    const clip = attachmentRef(video);
    return {
      kind: 'job',
      working: `Labelling ${video.name} with ${group} members…`,
      job: { name: 'annotate', payload: { group, clip, maxBytes, srt: false, chart: true, ...(limits === undefined ? {} : { maxShortSide: limits.clipShortSide }) } },
    };
  },
} satisfies Command<typeof schema>;
