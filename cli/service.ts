/**
 * The composition root of `npm start` and `npm run worker`: the runtime, the job system with every platform
 * delivery this process has credentials for, and (for the service) the bots.
 */
import { DiscordBot } from '../bot/discord/bot.ts';
import { DiscordDelivery } from '../bot/discord/discord-delivery.ts';
import { TelegramBot } from '../bot/telegram/bot.ts';
import { TelegramDelivery } from '../bot/telegram/delivery.ts';
import { telegramFileLocator } from '../bot/telegram/files.ts';
import { Telegram } from 'telegraf';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { openRuntime, type Runtime } from '../core/runtime.ts';
import { openJobSystem, type JobSystem } from '../workers/service.ts';

export type Role = 'service' | 'worker';

export interface Service {
  runtime: Runtime;
  system: JobSystem;
  discord: DiscordBot | undefined;
  telegram: TelegramBot | undefined;
  /** Bots first (no new requests), then the jobs (running ones may finish within the grace time), then the rest. */
  close(graceMs?: number): Promise<void>;
}

export async function openService(config: Config, logger: Logger, role: Role): Promise<Service> {
  const runtime = await openRuntime(config, logger);
  const runWorkers = role === 'worker' || config.localWorkers;
  // The face networks load before the first job is taken, so that job does not wait seconds for them.
  if (runWorkers) await runtime.context.faces();
  const discordLogger = logger.child({ platform: 'discord' });
  const telegramLogger = logger.child({ platform: 'telegram' });
  const telegramClient = config.telegram === undefined ? undefined : new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot, webhookReply: false });
  const platforms = {
    ...(config.discord === undefined ? {} : { discord: DiscordDelivery.over(config.discord.apiRoot, config.discord.token, discordLogger) }),
    ...(telegramClient === undefined ? {} : { telegram: new TelegramDelivery(telegramClient, telegramLogger) }),
  };
  const platformFiles = config.telegram === undefined || telegramClient === undefined ? {} : { telegram: telegramFileLocator(telegramClient, config.telegram.apiRoot, config.telegram.token) };
  const system = await openJobSystem(config, runtime, logger, { runWorkers, platforms, platformFiles });
  const discord = role === 'service' && config.discord !== undefined
    ? new DiscordBot({ settings: config.discord, core: runtime.context, producer: system.producer, cancellations: system.cancellations, logger: discordLogger })
    : undefined;
  const telegram = role === 'service' && config.telegram !== undefined
    ? new TelegramBot({ settings: config.telegram, core: runtime.context, producer: system.producer, cancellations: system.cancellations, logger: telegramLogger })
    : undefined;
  const close = async (graceMs = config.shutdownGraceMs): Promise<void> => {
    await discord?.stop();
    await telegram?.stop();
    await system.close(graceMs);
    await runtime.close();
  };
  try {
    await discord?.start();
    await telegram?.start();
  } catch (error) {
    await close(0);
    throw error;
  }
  return { runtime, system, discord, telegram, close };
}
