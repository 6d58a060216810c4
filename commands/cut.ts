import { z } from 'zod';
import { DEFAULT_PAD_SECONDS, groupMemberName, MAX_PAD_SECONDS } from '../services/cut-service.ts';
import type { Command } from './command.ts';
import { attachmentRef, attachmentSchema, checkAttachment, groupAndOutputLimits, groupOption, serverOf } from './options.ts';
import { groupAndMember, usageError } from './text-grammar.ts';

const CUT_USAGE = '[group] <member> as the caption of a clip, or as a reply to one';

const schema = z.object({ video: attachmentSchema, member: z.string().trim().min(1).max(80), group: z.string().optional(), pad: z.number().min(0).max(MAX_PAD_SECONDS).optional() });

/** A member's own cut ("Sana focus"): the stretches of a clip where she is on screen, labelled, with their sound. */
export const cutCommand = {
  kind: 'slash',
  name: 'cut',
  description: 'A member\'s own cut of a clip: only the stretches where she is on screen, labelled, with the sound',
  access: 'everyone',
  scope: 'server',
  privateAnswer: false,
  options: [
    { name: 'video', description: 'The clip (MP4, MOV, WebM…)', kind: 'attachment', required: true },
    { name: 'member', description: 'Whose cut', kind: 'string', required: true, autocomplete: 'member', maxLength: 40 },
    groupOption,
    { name: 'pad', description: `Seconds kept before and after each stretch (default ${DEFAULT_PAD_SECONDS})`, kind: 'number', required: false, min: 0, max: MAX_PAD_SECONDS },
  ],
  subcommands: [],
  schema,
  text: {
    usage: CUT_USAGE,
    parse: (words, media) => ({ ...groupAndMember(words, () => usageError('cut', CUT_USAGE)), ...(media.video === undefined ? {} : { video: media.video }) }),
    needsMedia: 'video',
  },
  async run(context, input) {
    const server = serverOf(context);
    const video = checkAttachment(input.video, 'video', context.core.videoLimits.maxBytes);
    const { group, limits } = await groupAndOutputLimits(context, server, input.group);
    // Refused before the clip is fetched: a member the group does not have.
    const member = await groupMemberName(context.core, server, group, input.member);
    const clip = attachmentRef(video);
    return {
      kind: 'job',
      working: `Cutting ${member}'s stretches out of ${video.name}…`,
      job: {
        name: 'annotate',
        payload: {
          group, clip, maxBytes: context.uploadLimitBytes, srt: false, chart: false, cut: { member, padSeconds: input.pad ?? DEFAULT_PAD_SECONDS },
          ...(limits === undefined ? {} : { maxShortSide: limits.clipShortSide }),
        },
      },
    };
  },
} satisfies Command<typeof schema>;
