import type { GatewayGuild } from './gateway.ts';
import type { InteractionRecord } from './interactions.ts';
import type { StoredMessage } from './messages.ts';

/** Everything the fake Discord knows; REST handlers read and change it, tests look at it. */
export interface LocalDiscordState {
  botToken: string;
  botUser: { id: string; username: string };
  applicationId: string;
  guilds: GatewayGuild[];
  commands: Map<string, unknown[]>;
  interactions: InteractionRecord[];
  channelMessages: StoredMessage[];
  deniedChannels: Set<string>;
  uploadLimitBytes: number;
  tokenLifetimeMs: number;
  callbackWindowMs: number;
  gatewayUrl(): string;
  cdnRoot(): string;
  createdAt(record: InteractionRecord): number;
  channelOf(record: InteractionRecord): string;
  /** Wakes tests waiting for a change. */
  changed(): void;
}
