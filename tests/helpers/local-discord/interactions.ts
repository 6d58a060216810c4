/** Interaction payloads as Discord dispatches them (INTERACTION_CREATE), and what the bot did with each. */
import { randomBytes } from 'node:crypto';
import type { StoredMessage, UploadedFile } from './messages.ts';
import { snowflakeAt } from './snowflake.ts';

export const MANAGE_GUILD = 0x20n;
const MEMBER_PERMISSIONS = 0x400n | 0x800n | 0x8000n | 0x10000n | 0x80000000n;

export interface LocalUser {
  id: string;
  username: string;
  /** Has Manage Server in the guilds it uses. */
  admin: boolean;
}

export interface LocalAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export type OptionInput = string | number | boolean | LocalAttachment;

export interface InteractionRecord {
  id: string;
  token: string;
  dispatchedAt: number;
  /** The interaction's callbacks (defer, reply, autocomplete result…), in order. */
  callbacks: Array<{ type: number; data: Record<string, unknown>; files: UploadedFile[] }>;
  /** The original response as it stands, and every edit of it in order. */
  original: StoredMessage | undefined;
  edits: StoredMessage[];
  originalDeleted: boolean;
  /**
   * Deferred and not yet answered (Discord shows "thinking…"): the first follow-up then becomes the original
   * response, keeping the deferral's visibility whatever its own flags say.
   */
  thinking: boolean;
  followUps: StoredMessage[];
  /** Set by a test: the token stops working now, as it does 15 minutes after the interaction. */
  tokenExpired: boolean;
  /** A component's interaction: the message the component is on, which an update (type 6 or 7) makes the original. */
  componentMessage?: StoredMessage;
}

export interface InteractionWhere {
  guildId: string | undefined;
  channelId: string;
  user: LocalUser;
  /** When the interaction was created (its id's timestamp); default now. */
  createdAt?: number;
  attachmentSizeLimit?: number;
}

export function newRecord(createdAt: number): InteractionRecord {
  return { id: snowflakeAt(createdAt), token: `itok_${randomBytes(24).toString('base64url')}`, dispatchedAt: Date.now(), callbacks: [], original: undefined, edits: [], originalDeleted: false, thinking: false, followUps: [], tokenExpired: false };
}

function optionType(value: OptionInput): number {
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 11;
}

export function optionsPayload(options: Readonly<Record<string, OptionInput>>, focused?: string): { options: unknown[]; attachments: Record<string, LocalAttachment> } {
  const attachments: Record<string, LocalAttachment> = {};
  const list = Object.entries(options).map(([name, value]) => {
    if (typeof value === 'object') attachments[value.id] = value;
    return { name, type: optionType(value), value: typeof value === 'object' ? value.id : value, ...(focused === name ? { focused: true } : {}) };
  });
  return { options: list, attachments };
}

export function interactionPayload(record: InteractionRecord, applicationId: string, type: number, where: InteractionWhere, data: Record<string, unknown>): Record<string, unknown> {
  const user = { id: where.user.id, username: where.user.username, discriminator: '0', global_name: where.user.username, avatar: null };
  const permissions = (where.user.admin ? MEMBER_PERMISSIONS | MANAGE_GUILD : MEMBER_PERMISSIONS).toString();
  const inGuild = where.guildId !== undefined;
  return {
    id: record.id,
    application_id: applicationId,
    type,
    token: record.token,
    version: 1,
    data,
    ...(inGuild
      ? { guild_id: where.guildId, member: { user, roles: [], permissions, joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 }, guild_locale: 'en-US' }
      : { user }),
    channel_id: where.channelId,
    channel: inGuild ? { id: where.channelId, type: 0, guild_id: where.guildId, name: 'general' } : { id: where.channelId, type: 1, recipients: [user] },
    app_permissions: (MEMBER_PERMISSIONS).toString(),
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: inGuild ? { 0: where.guildId } : { 1: where.user.id },
    context: inGuild ? 0 : 1,
    attachment_size_limit: where.attachmentSizeLimit ?? 10 * 1024 * 1024,
  };
}
