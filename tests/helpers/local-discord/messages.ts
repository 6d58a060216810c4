/** Message objects as Discord's REST API returns them, and the request bodies that create them. */
import { snowflake } from './snowflake.ts';

export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** A JSON or multipart/form-data body as Discord reads it: `payload_json` plus `files[n]`. */
export interface MessageBody {
  json: Record<string, unknown>;
  files: UploadedFile[];
}

export interface StoredMessage {
  id: string;
  channelId: string;
  content: string;
  flags: number;
  files: UploadedFile[];
  /** The body as last sent (JSON part). */
  json: Record<string, unknown>;
}

export async function readMessageBody(contentType: string, raw: Buffer): Promise<MessageBody> {
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const payload = form.get('payload_json');
    const json = typeof payload === 'string' ? parseObject(payload) : {};
    const files: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') continue;
      files.push({ field, name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { json, files };
  }
  return { json: raw.length === 0 ? {} : parseObject(raw.toString('utf8')), files: [] };
}

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function newMessage(channelId: string, body: MessageBody): StoredMessage {
  return { id: snowflake(), channelId, content: typeof body.json.content === 'string' ? body.json.content : '', flags: typeof body.json.flags === 'number' ? body.json.flags : 0, files: body.files, json: body.json };
}

/**
 * An edit keeps what the body leaves out. Files, as API v10 has it: without an `attachments` array, new uploads are
 * added to the message's files; with one, it lists every file the message has afterwards, existing ones by their id
 * and new ones by their upload's index (`files[n]` is id n), and anything not listed goes.
 */
export function editMessage(message: StoredMessage, body: MessageBody): StoredMessage {
  const content = typeof body.json.content === 'string' ? body.json.content : message.content;
  const listed = Array.isArray(body.json.attachments) ? new Set((body.json.attachments as Array<{ id?: unknown }>).map((entry) => String(entry.id))) : undefined;
  // What the body leaves out stays as it was (its buttons, say), as on Discord.
  const json = { ...message.json, ...body.json };
  if (listed === undefined) return { ...message, content, files: [...message.files, ...body.files], json };
  const kept = message.files.filter((_, index) => listed.has(attachmentId(message, index)));
  const added = body.files.filter((file) => listed.has(/\[(\d+)\]$/.exec(file.field)?.[1] ?? ''));
  return { ...message, content, files: [...kept, ...added], json };
}

export function attachmentId(message: Pick<StoredMessage, 'id'>, index: number): string {
  return `${message.id}${index}`;
}

export function messageJson(message: StoredMessage, author: { id: string; username: string }, applicationId: string, cdnRoot: string): Record<string, unknown> {
  return {
    id: message.id,
    type: 0,
    channel_id: message.channelId,
    author: { id: author.id, username: author.username, discriminator: '0', global_name: null, avatar: null, bot: true },
    content: message.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.files.map((file, index) => ({
      id: attachmentId(message, index), filename: file.name, size: file.bytes.length, content_type: file.contentType,
      url: `${cdnRoot}/attachments/${message.channelId}/${message.id}/${encodeURIComponent(file.name)}`,
      proxy_url: `${cdnRoot}/attachments/${message.channelId}/${message.id}/${encodeURIComponent(file.name)}`,
    })),
    embeds: [],
    pinned: false,
    flags: message.flags,
    application_id: applicationId,
  };
}
