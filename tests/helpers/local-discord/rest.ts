/** Discord's REST API, the routes a bot uses, over the fake's state; errors in Discord's shape ({ message, code }). */
import type { IncomingMessage } from 'node:http';
import { editMessage, messageJson, newMessage, readMessageBody, type MessageBody, type StoredMessage } from './messages.ts';
import type { InteractionRecord } from './interactions.ts';
import type { LocalDiscordState } from './state.ts';
import { snowflake } from './snowflake.ts';
import { DiscordError } from './rest-error.ts';
import { checkComponents } from './components.ts';

export interface RestReply {
  status: number;
  body?: unknown;
}

export { DiscordError };

const ok = (body: unknown): RestReply => ({ status: 200, body });
const noContent: RestReply = { status: 204 };

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function handleRest(state: LocalDiscordState, method: string, path: string, request: IncomingMessage, raw: Buffer): Promise<RestReply> {
  const parts = path.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  const body = (): Promise<MessageBody> => readMessageBody(request.headers['content-type'] ?? '', raw).then((parsed) => checkUploadSize(state, parsed));
  const [first, second, third, fourth, fifth, sixth] = parts;
  if (first === 'interactions' && second && third && fourth === 'callback' && method === 'POST') return callback(state, second, third, await body());
  if (first === 'webhooks' && second === state.applicationId && third) return webhook(state, method, third, fourth, fifth, body);
  requireBotAuth(state, request);
  if (first === 'gateway' && second === 'bot') return ok({ url: state.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
  if (first === 'users' && second === '@me') return ok({ id: state.botUser.id, username: state.botUser.username, discriminator: '0', avatar: null, bot: true });
  if (first === 'applications' && second === '@me') return ok({ id: state.applicationId, name: 'idolens', description: '', bot_public: true, flags: 0 });
  if (first === 'applications' && second === state.applicationId) {
    const scope = third === 'guilds' && fourth && fifth === 'commands' ? fourth : third === 'commands' ? 'global' : undefined;
    if (scope !== undefined && sixth === undefined) return commands(state, method, scope, raw);
  }
  if (first === 'channels' && second && third === 'messages' && method === 'POST') return channelMessage(state, second, await body());
  throw new DiscordError(404, 0, `404: Not Found (${method} /${parts.slice(0, 1).join('/')})`);
}

function requireBotAuth(state: LocalDiscordState, request: IncomingMessage): void {
  if (request.headers.authorization !== `Bot ${state.botToken}`) throw new DiscordError(401, 0, '401: Unauthorized');
}

function checkUploadSize(state: LocalDiscordState, body: MessageBody): MessageBody {
  if (body.files.some((file) => file.bytes.length > state.uploadLimitBytes)) throw new DiscordError(413, 40005, 'Request entity too large');
  return body;
}

function commands(state: LocalDiscordState, method: string, scope: string, raw: Buffer): RestReply {
  if (method === 'GET') return ok(state.commands.get(scope) ?? []);
  if (method !== 'PUT') throw new DiscordError(405, 0, '405: Method Not Allowed');
  const list = JSON.parse(raw.toString('utf8')) as Array<Record<string, unknown>>;
  const stored = list.map((command) => ({ ...command, id: snowflake(), application_id: state.applicationId, version: snowflake(), ...(scope === 'global' ? {} : { guild_id: scope }) }));
  state.commands.set(scope, stored);
  return ok(stored);
}

function interactionByToken(state: LocalDiscordState, token: string): InteractionRecord {
  const record = state.interactions.find((entry) => entry.token === token);
  if (!record) throw new DiscordError(401, 50027, 'Invalid Webhook Token');
  if (record.tokenExpired || Date.now() - state.createdAt(record) > state.tokenLifetimeMs) throw new DiscordError(401, 50027, 'Invalid Webhook Token');
  return record;
}

function callback(state: LocalDiscordState, id: string, token: string, body: MessageBody): RestReply {
  const record = state.interactions.find((entry) => entry.id === id && entry.token === token);
  if (!record || Date.now() - record.dispatchedAt > state.callbackWindowMs) throw new DiscordError(404, 10062, 'Unknown interaction');
  if (record.callbacks.length > 0) throw new DiscordError(400, 40060, 'Interaction has already been acknowledged.');
  const type = typeof body.json.type === 'number' ? body.json.type : 0;
  const data = typeof body.json.data === 'object' && body.json.data !== null ? (body.json.data as Record<string, unknown>) : {};
  checkComponents(data.components);
  record.callbacks.push({ type, data, files: body.files });
  if (type === 4 || type === 5) record.original = newMessage(state.channelOf(record), { json: data, files: body.files });
  if (type === 4) record.edits.push(record.original as StoredMessage);
  // On a component's interaction an update makes the component's message the original: later edits of @original edit it.
  if ((type === 6 || type === 7) && record.componentMessage !== undefined) {
    record.original = type === 7 ? editMessage(record.componentMessage, { json: data, files: body.files }) : record.componentMessage;
    if (type === 7) record.edits.push(record.original);
  }
  record.thinking = type === 5;
  state.changed();
  return noContent;
}

async function webhook(state: LocalDiscordState, method: string, token: string, segment: string | undefined, messageId: string | undefined, body: () => Promise<MessageBody>): Promise<RestReply> {
  const record = interactionByToken(state, token);
  const json = (message: StoredMessage): RestReply => ok(messageJson(message, state.botUser, state.applicationId, state.cdnRoot()));
  const checked = async (): Promise<MessageBody> => {
    const read = await body();
    checkComponents(read.json.components);
    return read;
  };
  if (segment === undefined && method === 'POST' && record.thinking) return firstFollowUp(state, record, await checked(), json);
  if (segment === undefined && method === 'POST') {
    const message = newMessage(state.channelOf(record), await checked());
    record.followUps.push(message);
    state.changed();
    return json(message);
  }
  if (segment !== 'messages' || messageId === undefined) throw new DiscordError(404, 10015, 'Unknown Webhook');
  const target = messageId === '@original' ? record.original : record.followUps.find((entry) => entry.id === messageId);
  if (!target || (messageId === '@original' && record.originalDeleted)) throw new DiscordError(404, 10008, 'Unknown Message');
  if (method === 'GET') return json(target);
  if (method === 'DELETE') {
    if (messageId === '@original') record.originalDeleted = true;
    state.changed();
    return noContent;
  }
  if (method !== 'PATCH') throw new DiscordError(405, 0, '405: Method Not Allowed');
  const edited = editMessage(target, await checked());
  if (messageId === '@original') {
    record.thinking = false;
    record.original = edited;
    record.edits.push(edited);
  } else record.followUps = record.followUps.map((entry) => (entry.id === messageId ? edited : entry));
  state.changed();
  return json(edited);
}

/**
 * Discord's rule for a deferred response: the first follow-up edits the "thinking" message into the answer, which
 * stays as visible as the deferral was (an ephemeral flag on the follow-up does nothing); after the thinking message
 * was deleted, the webhook knows no message to edit.
 */
function firstFollowUp(state: LocalDiscordState, record: InteractionRecord, body: MessageBody, json: (message: StoredMessage) => RestReply): RestReply {
  const original = record.original;
  if (!original || record.originalDeleted) throw new DiscordError(404, 10008, 'Unknown Message');
  const edited = { ...editMessage(original, body), flags: original.flags };
  record.thinking = false;
  record.original = edited;
  record.edits.push(edited);
  state.changed();
  return json(edited);
}

function channelMessage(state: LocalDiscordState, channelId: string, body: MessageBody): RestReply {
  if (state.deniedChannels.has(channelId)) throw new DiscordError(403, 50013, 'Missing Permissions');
  const message = newMessage(channelId, body);
  state.channelMessages.push(message);
  state.changed();
  return ok(messageJson(message, state.botUser, state.applicationId, state.cdnRoot()));
}
