/** Option schemas and checks the commands share: names, attachments of a kind, the group a command means. */
import { z } from 'zod';
import type { CoreContext } from '../core/context.ts';
import { IdolensError } from '../core/errors.ts';
import type { MediaRef } from '../core/media-ref/index.ts';
import type { ServerSettings } from '../core/store/index.ts';
import { OUTPUT_SIZE_LIMITS, type OutputSizeLimits } from '../core/output-size.ts';
import { formatSize } from '../core/format.ts';
import type { CommandContext, OptionSpec } from './command.ts';
import type { Attachment } from './option-values.ts';
import type { Phrasing } from '../answers/phrasing.ts';

const attachmentFields = { name: z.string().min(1).max(300), size: z.number().int().nonnegative(), contentType: z.string().optional() };

export const attachmentSchema = z.union([
  z.object({ url: z.string().url(), ...attachmentFields }),
  z.object({ platformFile: z.object({ platform: z.literal('telegram'), fileId: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/) }), ...attachmentFields }),
]);

/** Where a job finds an attachment's bytes: the platform's URL or file id, never the bytes themselves. */
export function attachmentRef(attachment: Attachment): MediaRef {
  if ('url' in attachment) return { kind: 'url', url: attachment.url, name: attachment.name, trust: 'platform' };
  return { kind: 'platform-file', platform: attachment.platformFile.platform, fileId: attachment.platformFile.fileId, name: attachment.name };
}

export const groupOption: OptionSpec = { name: 'group', description: 'Which group (the server\'s only group when left out)', kind: 'string', required: false, autocomplete: 'group', maxLength: 40 };
export const requiredGroupOption: OptionSpec = { ...groupOption, description: 'The group', required: true };
export const memberOption: OptionSpec = { name: 'member', description: 'The member', kind: 'string', required: true, autocomplete: 'member', maxLength: 40 };

/** The server of a command that needs one (schema `scope: 'server'` already keeps DMs out; this narrows the type). */
export function serverOf(context: CommandContext): string {
  if (context.server === undefined) throw new IdolensError('server_only');
  return context.server;
}

/** The named group, or else the server's default group, or else its only group. */
export async function resolveGroup(core: CoreContext, server: string, named: string | undefined, phrasing: Phrasing): Promise<string> {
  if (named !== undefined) return (await core.store.requireGroup(server, named)).name;
  return groupOrDefault(core, server, await core.store.serverSettings(server), phrasing);
}

async function groupOrDefault(core: CoreContext, server: string, { defaultGroup }: ServerSettings, phrasing: Phrasing): Promise<string> {
  if (defaultGroup !== undefined) return defaultGroup;
  const groups = await core.store.listGroups(server);
  const [only] = groups;
  if (groups.length === 1 && only) return only.name;
  if (groups.length === 0) throw new IdolensError('group_not_found', `There are no groups here yet: an admin creates one with ${phrasing.command('group', 'create')}.`);
  throw new IdolensError('group_required', `This server has several groups (${groups.map((group) => group.name).join(', ')}): say which one, or an admin picks a default group with ${phrasing.command('settings')}.`);
}

/** The group a labelling command works with, and the size limits of its answer (the server's output size): one settings read. */
export async function groupAndOutputLimits(context: CommandContext, server: string, named: string | undefined): Promise<{ group: string; limits: OutputSizeLimits | undefined }> {
  const { core } = context;
  const settings = await core.store.serverSettings(server);
  const group = named === undefined ? await groupOrDefault(core, server, settings, context.phrasing) : (await core.store.requireGroup(server, named)).name;
  return { group, limits: settings.outputSize === undefined ? undefined : OUTPUT_SIZE_LIMITS[settings.outputSize] };
}

export type MediaKind = 'image' | 'video' | 'archive';

const KIND_WORDS: Record<MediaKind, string> = { image: 'picture', video: 'clip', archive: 'zip file' };

/** Refuses before anything is queued: a file over the cap, or one whose declared type is plainly another kind. */
export function checkAttachment(attachment: Attachment, kind: MediaKind, maxBytes: number): Attachment {
  if (attachment.size > maxBytes) {
    const code = kind === 'video' ? 'video_too_large' : 'too_large';
    throw new IdolensError(code, `This ${KIND_WORDS[kind]} is ${formatSize(attachment.size)}; I take ${KIND_WORDS[kind]}s up to ${formatSize(maxBytes)}.`, { bytes: attachment.size, maxBytes });
  }
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && kind !== 'archive' && !type.startsWith(`${kind}/`) && type !== 'application/octet-stream') {
    throw new IdolensError(kind === 'video' ? 'unsupported_video' : 'unsupported_format', undefined, { contentType: type });
  }
  return attachment;
}
