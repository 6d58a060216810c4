/**
 * The whole service as `npm start` builds it with TELEGRAM_TOKEN (runtime, in-process job queue, telegraf bot and
 * Bot API delivery), pointed at a local Bot API; a group chat with its creator and a fan, a second group chat and
 * the fan's private chat.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Chat, User } from 'telegraf/types';
import { openService, type Service } from '../../cli/service.ts';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { LocalTelegram } from './local-telegram/local-telegram.ts';
import type { LocalMessage, SentRecord } from './local-telegram/types.ts';
import { makeTempDir, testEnvironment } from './runtime.ts';

export const BOT_TOKEN = '7000001:AAlocal-telegram_token-for-tests';

export interface TelegramHarness {
  telegram: LocalTelegram;
  service: Service;
  admin: User;
  fan: User;
  home: Chat;
  other: Chat;
  /** The fan's private chat with the bot (its id is the fan's id). */
  privateChat: Chat;
  close(): Promise<void>;
}

export async function startTelegramHarness(extraEnvironment: Record<string, string> = {}): Promise<TelegramHarness> {
  const telegram = await LocalTelegram.start({ token: BOT_TOKEN, botUsername: 'idolens_bot' });
  const admin = telegram.user(101, 'Ada');
  const fan = telegram.user(202, 'Fan');
  const home = telegram.addChat({ id: -1001, type: 'supergroup', title: 'Blink Lounge' });
  const other = telegram.addChat({ id: -1002, type: 'supergroup', title: 'Other Fans' });
  const privateChat = telegram.addChat({ id: fan.id, type: 'private' });
  telegram.setRole(home.id, admin.id, 'creator');
  telegram.setRole(other.id, admin.id, 'administrator');
  const dataDir = await makeTempDir('telegram');
  const environment = testEnvironment({
    IDOLENS_DATA: dataDir,
    IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn',
    TELEGRAM_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    IDOLENS_ALLOW_PRIVATE_URLS: '1',
    IDOLENS_TRAIN_DEBOUNCE_SECONDS: '0',
    ...extraEnvironment,
  });
  delete environment.REDIS_URL;
  delete environment.DISCORD_TOKEN;
  const config = loadConfig(environment);
  const service = await openService(config, createLogger(config.logLevel), 'service').catch(async (error: unknown) => {
    await telegram.close();
    throw error;
  });
  return {
    telegram, service, admin, fan, home, other, privateChat,
    async close() {
      await service.close(0);
      await telegram.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A photo a user sends: the file is stored in the local Bot API and the message carries its sizes. */
export async function photoFields(telegram: LocalTelegram, file: string): Promise<Pick<LocalMessage, 'photo'>> {
  const fileId = telegram.addFile(await readFile(file), { name: path.basename(file), mimeType: 'image/jpeg' });
  return { photo: telegram.photoOf(fileId) };
}

/** The bot's messages that reply to `message`, as they are now (deleted ones left out). */
export function answersTo(telegram: LocalTelegram, message: LocalMessage): SentRecord[] {
  return telegram.sent(message.chat.id).filter((record) => !record.deleted && record.message.reply_to_message?.message_id === message.message_id);
}

const WORKING = /^(Working on it|Creating|Learning|Looking at|Labelling|Training|Listing|Importing|Deleting|Renaming|Searching|Noting)/;

/** The answer to `message` once the bot is done with it: a media reply, or a text that is no longer "working…". */
export async function finalAnswers(telegram: LocalTelegram, message: LocalMessage, done: (records: SentRecord[]) => boolean, timeoutMs = 120_000): Promise<SentRecord[]> {
  return telegram.waitFor(() => {
    const records = answersTo(telegram, message);
    return records.length > 0 && records.every((record) => !WORKING.test(record.text ?? '')) && done(records) ? records : undefined;
  }, timeoutMs, `the answer to message ${message.message_id} in chat ${message.chat.id}`);
}

export function textAnswer(telegram: LocalTelegram, message: LocalMessage, timeoutMs = 60_000): Promise<string> {
  return finalAnswers(telegram, message, (records) => records.some((record) => record.method === 'sendMessage'), timeoutMs)
    .then((records) => records.map((record) => record.text ?? '').join('\n'));
}
