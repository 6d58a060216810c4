/** Discord's gateway, the parts a bot uses: HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats, RESUME, dispatches. */
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';

export interface GatewayGuild {
  id: string;
  name: string;
  ownerId: string;
  channelId: string;
}

interface Dispatch {
  op: 0;
  s: number;
  t: string;
  d: unknown;
}

interface GatewayIdentity {
  botToken: string;
  botUser: { id: string; username: string };
  applicationId: string;
  guilds: () => GatewayGuild[];
  url: () => string;
  heartbeatIntervalMs: number;
}

export class LocalGateway {
  readonly server = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private sessionId = '';
  private sequence = 0;
  private readonly sent: Dispatch[] = [];
  identifies = 0;
  resumes = 0;
  heartbeats = 0;

  constructor(private readonly identity: GatewayIdentity) {
    this.server.on('connection', (socket) => this.accept(socket));
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  dispatch(t: string, d: unknown): void {
    this.sequence += 1;
    const event: Dispatch = { op: 0, s: this.sequence, t, d };
    this.sent.push(event);
    if (this.connected) this.socket?.send(JSON.stringify(event));
  }

  /** The connection drops without a close frame, as a network failure does (the bot should RESUME). */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private accept(socket: WebSocket): void {
    this.socket = socket;
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.identity.heartbeatIntervalMs }, s: null, t: null }));
    socket.on('message', (raw) => this.receive(socket, String(raw)));
  }

  private receive(socket: WebSocket, raw: string): void {
    const frame = JSON.parse(raw) as { op: number; d: Record<string, unknown> | number | null };
    const data = typeof frame.d === 'object' && frame.d !== null ? frame.d : {};
    if (frame.op === 1) {
      this.heartbeats += 1;
      socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    } else if (frame.op === 2) this.identify(socket, data);
    else if (frame.op === 6) this.resume(socket, data);
  }

  private identify(socket: WebSocket, data: Record<string, unknown>): void {
    if (data.token !== this.identity.botToken) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    this.identifies += 1;
    this.sessionId = randomBytes(16).toString('hex');
    this.sequence = 0;
    this.sent.length = 0;
    const guilds = this.identity.guilds();
    this.dispatch('READY', {
      v: 10,
      user: { ...this.identity.botUser, discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: this.sessionId,
      resume_gateway_url: this.identity.url(),
      application: { id: this.identity.applicationId, flags: 0 },
      shard: [0, 1],
    });
    for (const guild of guilds) this.dispatch('GUILD_CREATE', guildCreate(guild));
  }

  private resume(socket: WebSocket, data: Record<string, unknown>): void {
    if (data.token !== this.identity.botToken || data.session_id !== this.sessionId) {
      socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.resumes += 1;
    const after = typeof data.seq === 'number' ? data.seq : 0;
    for (const event of this.sent.filter((entry) => entry.s > after)) socket.send(JSON.stringify(event));
    this.dispatch('RESUMED', {});
  }
}

function guildCreate(guild: GatewayGuild): Record<string, unknown> {
  return {
    id: guild.id, name: guild.name, icon: null, owner_id: guild.ownerId, unavailable: false, large: false, member_count: 2,
    joined_at: '2024-01-01T00:00:00.000Z', afk_timeout: 300, verification_level: 0, default_message_notifications: 0,
    explicit_content_filter: 0, mfa_level: 0, premium_tier: 0, system_channel_flags: 0, preferred_locale: 'en-US', nsfw_level: 0,
    premium_progress_bar_enabled: false, features: [], emojis: [], stickers: [], members: [], threads: [], voice_states: [],
    presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
    roles: [{ id: guild.id, name: '@everyone', permissions: '104324673', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    channels: [{ id: guild.channelId, type: 0, name: 'general', position: 0, permission_overwrites: [], nsfw: false, parent_id: null }],
  };
}
