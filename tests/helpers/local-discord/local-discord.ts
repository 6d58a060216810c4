/**
 * A local Discord on loopback for end-to-end tests of the real discord.js client: REST under `/api/v10`, the
 * gateway at `/gateway`, attachment bytes under `/attachments`. Tests play the users: they dispatch interactions
 * and read what the bot answered.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { LocalGateway, type GatewayGuild } from './gateway.ts';
import { interactionPayload, newRecord, optionsPayload, type InteractionRecord, type InteractionWhere, type LocalAttachment, type LocalUser, type OptionInput } from './interactions.ts';
import type { StoredMessage } from './messages.ts';
import { DiscordError, handleRest, readBody } from './rest.ts';
import { checkSelection } from './components.ts';
import { snowflake } from './snowflake.ts';
import type { LocalDiscordState } from './state.ts';

export interface LocalDiscordOptions {
  tokenLifetimeMs?: number;
  callbackWindowMs?: number;
  heartbeatIntervalMs?: number;
  uploadLimitBytes?: number;
}

export interface RestLogEntry {
  method: string;
  path: string;
  status: number;
}

const API_PREFIX = '/api/v10/';

export class LocalDiscord {
  readonly state: LocalDiscordState;
  readonly gateway: LocalGateway;
  readonly requests: RestLogEntry[] = [];
  private readonly attachments = new Map<string, { bytes: Buffer; contentType: string }>();
  private waiters: Array<() => void> = [];
  private readonly channels = new Map<string, string>();

  private constructor(private readonly server: Server, options: LocalDiscordOptions) {
    const port = (): number => (server.address() as AddressInfo).port;
    this.state = {
      botToken: `MTA${randomBytes(12).toString('base64url')}.local.${randomBytes(18).toString('base64url')}`,
      botUser: { id: snowflake(), username: 'idolens' },
      applicationId: snowflake(),
      guilds: [],
      commands: new Map(),
      interactions: [],
      channelMessages: [],
      deniedChannels: new Set(),
      uploadLimitBytes: options.uploadLimitBytes ?? 10 * 1024 * 1024,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60 * 1000,
      callbackWindowMs: options.callbackWindowMs ?? 3000,
      gatewayUrl: () => `ws://127.0.0.1:${port()}/gateway`,
      cdnRoot: () => `http://127.0.0.1:${port()}`,
      createdAt: (record) => Number((BigInt(record.id) >> 22n) + 1_420_070_400_000n),
      channelOf: (record) => this.channels.get(record.id) ?? '',
      changed: () => this.wake(),
    };
    this.gateway = new LocalGateway({
      botToken: this.state.botToken, botUser: this.state.botUser, applicationId: this.state.applicationId,
      guilds: () => this.state.guilds, url: () => this.state.gatewayUrl(), heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    });
    server.on('request', (request, response) => void this.serve(request, response));
    server.on('upgrade', (request, socket, head) => {
      if (!request.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.gateway.server.handleUpgrade(request, socket, head, (ws) => this.gateway.server.emit('connection', ws, request));
    });
  }

  static async start(options: LocalDiscordOptions = {}): Promise<LocalDiscord> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new LocalDiscord(server, options);
  }

  get apiRoot(): string { return `${this.state.cdnRoot()}/api`; }
  get botToken(): string { return this.state.botToken; }
  get applicationId(): string { return this.state.applicationId; }

  addGuild(name: string, owner: LocalUser): GatewayGuild {
    const guild = { id: snowflake(), name, ownerId: owner.id, channelId: snowflake() };
    this.state.guilds.push(guild);
    return guild;
  }

  user(username: string, admin: boolean): LocalUser {
    return { id: snowflake(), username, admin };
  }

  /** Bytes served from the CDN, as an upload of a user; `declaredSize` lets a test claim a size it does not serve. */
  addAttachment(channelId: string, filename: string, bytes: Buffer, contentType: string, declaredSize = bytes.length): LocalAttachment {
    const id = snowflake();
    const url = `${this.state.cdnRoot()}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    this.attachments.set(new URL(url).pathname, { bytes, contentType });
    return { id, filename, size: declaredSize, url, proxy_url: url, content_type: contentType };
  }

  slash(name: string, options: Readonly<Record<string, OptionInput>>, where: InteractionWhere, subcommand?: string): InteractionRecord {
    const { options: list, attachments } = optionsPayload(options);
    const commandOptions = subcommand === undefined ? list : [{ name: subcommand, type: 1, options: list }];
    return this.dispatch(2, where, { id: this.commandId(name, where.guildId), name, type: 1, options: commandOptions, resolved: { attachments } });
  }

  messageCommand(name: string, where: InteractionWhere, attachments: LocalAttachment[]): InteractionRecord {
    const messageId = snowflake();
    const message = {
      id: messageId, channel_id: where.channelId, type: 0, content: '', author: { id: snowflake(), username: 'fan', discriminator: '0', avatar: null },
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [],
      attachments, embeds: [], pinned: false, flags: 0,
    };
    return this.dispatch(2, where, { id: this.commandId(name, where.guildId), name, type: 3, target_id: messageId, resolved: { messages: { [messageId]: message } } });
  }

  /** A user presses a button of a message the bot sent (a MESSAGE_COMPONENT interaction). */
  button(message: StoredMessage, customId: string, where: InteractionWhere): InteractionRecord {
    return this.dispatch(3, where, { custom_id: customId, component_type: 2 }, { message: this.componentMessage(message) }, message);
  }

  /** A user picks from a select menu of a message the bot sent: only what the menu offers can be picked. */
  select(message: StoredMessage, customId: string, values: string[], where: InteractionWhere): InteractionRecord {
    checkSelection(message.json.components, customId, values);
    return this.dispatch(3, where, { custom_id: customId, component_type: 3, values }, { message: this.componentMessage(message) }, message);
  }

  private componentMessage(message: StoredMessage): Record<string, unknown> {
    return {
      id: message.id, channel_id: message.channelId, type: 0, content: message.content, author: { id: this.state.applicationId, username: 'idolens', discriminator: '0', avatar: null, bot: true },
      timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false,
      flags: message.flags, components: message.json.components ?? [],
    };
  }

  autocomplete(name: string, options: Readonly<Record<string, OptionInput>>, focused: string, where: InteractionWhere): InteractionRecord {
    return this.dispatch(4, where, { id: this.commandId(name, where.guildId), name, type: 1, options: optionsPayload(options, focused).options });
  }

  /** Every download of an attachment the tests uploaded (the bot's, or a worker's). */
  downloadsOf(attachment: LocalAttachment): RestLogEntry[] {
    const path = new URL(attachment.url).pathname;
    return this.requests.filter((entry) => entry.method === 'GET' && entry.path === path);
  }

  /** Resolves with `check`'s first defined result, checked after every change the bot makes. */
  async waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  channelMessages(channelId: string): StoredMessage[] {
    return this.state.channelMessages.filter((message) => message.channelId === channelId);
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private commandId(name: string, guildId: string | undefined): string {
    const list = (this.state.commands.get(guildId ?? 'global') ?? this.state.commands.get('global') ?? []) as Array<{ id: string; name: string }>;
    return list.find((command) => command.name === name)?.id ?? snowflake();
  }

  private dispatch(type: number, where: InteractionWhere, data: Record<string, unknown>, extra: Record<string, unknown> = {}, componentMessage?: StoredMessage): InteractionRecord {
    const record: InteractionRecord = { ...newRecord(where.createdAt ?? Date.now()), ...(componentMessage === undefined ? {} : { componentMessage }) };
    this.channels.set(record.id, where.channelId);
    this.state.interactions.push(record);
    this.gateway.dispatch('INTERACTION_CREATE', { ...interactionPayload(record, this.state.applicationId, type, where, data), ...extra });
    return record;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/attachments/')) {
      const file = this.attachments.get(url.pathname);
      response.writeHead(file ? 200 : 404, { 'content-type': file?.contentType ?? 'text/plain' }).end(file?.bytes ?? 'Not found');
      this.requests.push({ method, path: url.pathname, status: file ? 200 : 404 });
      return;
    }
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : '';
    let status = 500;
    try {
      const reply = await handleRest(this.state, method, path, request, await readBody(request));
      status = reply.status;
      if (reply.body === undefined) response.writeHead(status).end();
      else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    } catch (error) {
      const known = error instanceof DiscordError ? error : new DiscordError(500, 0, error instanceof Error ? error.message : String(error));
      status = known.status;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: known.message, code: known.code }));
    } finally {
      this.requests.push({ method, path: url.pathname, status });
    }
  }
}
