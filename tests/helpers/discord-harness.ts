/**
 * The whole service as `npm start` builds it (runtime, in-process job queue, Discord bot and REST delivery),
 * pointed at a local Discord; commands registered through the real deploy path.
 */
import { rm } from 'node:fs/promises';
import { deployCommands } from '../../bot/discord/deploy.ts';
import { openService, type Service } from '../../cli/service.ts';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import type { GatewayGuild } from './local-discord/gateway.ts';
import type { InteractionRecord, InteractionWhere, LocalUser } from './local-discord/interactions.ts';
import { LocalDiscord, type LocalDiscordOptions } from './local-discord/local-discord.ts';
import type { StoredMessage } from './local-discord/messages.ts';
import { makeTempDir, testEnvironment } from './runtime.ts';

export interface DiscordHarness {
  discord: LocalDiscord;
  service: Service;
  admin: LocalUser;
  fan: LocalUser;
  guilds: GatewayGuild[];
  close(): Promise<void>;
}

export async function startDiscordHarness(guildNames: readonly string[], options: LocalDiscordOptions = {}, extraEnvironment: Record<string, string> = {}): Promise<DiscordHarness> {
  const discord = await LocalDiscord.start(options);
  const admin = discord.user('admin', true);
  const fan = discord.user('fan', false);
  const guilds = guildNames.map((name) => discord.addGuild(name, admin));
  const dataDir = await makeTempDir('discord');
  const environment = testEnvironment({
    IDOLENS_DATA: dataDir,
    IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn',
    DISCORD_TOKEN: discord.botToken,
    DISCORD_API_ROOT: discord.apiRoot,
    IDOLENS_MEDIA_HOSTS: '127.0.0.1',
    IDOLENS_ALLOW_PRIVATE_URLS: '1',
    IDOLENS_TRAIN_DEBOUNCE_SECONDS: '0',
    ...extraEnvironment,
  });
  delete environment.REDIS_URL;
  delete environment.DISCORD_APPLICATION_ID;
  delete environment.DISCORD_DEV_GUILD_ID;
  const config = loadConfig(environment);
  const settings = config.discord;
  if (settings === undefined) throw new Error('the harness sets DISCORD_TOKEN');
  const service = await (async () => {
    for (const guild of guilds) await deployCommands(settings, guild.id);
    return openService(config, createLogger(config.logLevel), 'service');
  })().catch(async (error: unknown) => {
    await discord.close();
    throw error;
  });
  return {
    discord, service, admin, fan, guilds,
    async close() {
      await service.close(0);
      await discord.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function inGuild(guild: GatewayGuild, user: LocalUser, extra: Partial<InteractionWhere> = {}): InteractionWhere {
  return { guildId: guild.id, channelId: guild.channelId, user, ...extra };
}

/** The last state of the original response once the worker (or the command) has finished with it. */
export async function finalAnswer(discord: LocalDiscord, record: InteractionRecord, done: (message: StoredMessage) => boolean, timeoutMs = 120_000): Promise<StoredMessage> {
  return discord.waitFor(() => {
    const last = record.edits.at(-1);
    return last && !record.originalDeleted && done(last) ? last : undefined;
  }, timeoutMs, `the answer to interaction ${record.id}`);
}

const EPHEMERAL = 64;

/** What the channel shows of an interaction's messages now: its original response (until deleted) and follow-ups. */
export function shownMessages(record: InteractionRecord): StoredMessage[] {
  const original = record.originalDeleted ? undefined : record.original;
  return [...(original === undefined ? [] : [original]), ...record.followUps];
}

/** The message only the user sees that a refused request gets, once nothing of it is public any more. */
export async function privateRefusal(discord: LocalDiscord, record: InteractionRecord, timeoutMs = 60_000): Promise<StoredMessage> {
  return discord.waitFor(() => {
    const shown = shownMessages(record);
    const message = shown.find((entry) => (entry.flags & EPHEMERAL) === EPHEMERAL && entry.content !== '' && entry.content !== '…');
    const publicLeft = shown.some((entry) => (entry.flags & EPHEMERAL) === 0);
    return message && !publicLeft ? message : undefined;
  }, timeoutMs, `a private refusal of interaction ${record.id}`);
}
