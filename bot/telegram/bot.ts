/**
 * The telegraf adapter: messages (commands in text or captions, replies to media, albums, plain media in private
 * chats) become command runs; quick answers are sent at once, heavy work is queued with a "working…" message
 * that the worker's TelegramDelivery edits and replaces. Failures become short messages in the chat.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Telegraf } from 'telegraf';
import type { CallbackQuery } from 'telegraf/types';
import {
  COMMANDS, findCommand, resolveGroup, runCommand, submitJob, type Command, type CommandContext, type CommandOutcome, type RawOptions,
} from '../../commands/index.ts';
import type { TelegramSettings } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { Logger } from '../../core/logger.ts';
import type { TelegramTarget } from '../../workers/delivery/delivery.ts';
import type { JobProducer } from '../../workers/producer.ts';
import { toNotice } from '../../core/errors.ts';
import { AlbumCollector } from './albums.ts';
import { commandOptions, parseCommandText, type MessageMedia } from './arguments.ts';
import { ChatAdmins } from './chat-admins.ts';
import { syncCommandMenu } from './command-menu.ts';
import { checkDownloadable, mediaKindOf, mediaOf } from './message-media.ts';
import { PendingChoices } from './pending-choices.ts';
import { parseReviewCallback } from './review-buttons.ts';
import { collectMedia, migrationOf, originOf, redactedError, requireMedia, textOf, type Incoming } from './incoming.ts';
import { ChatReplies, type Origin } from './replies.ts';
import { telegramCall } from './transport-error.ts';

export interface TelegramBotParts {
  settings: TelegramSettings;
  core: CoreContext;
  producer: JobProducer;
  logger: Logger;
  /** How long an album must be quiet before it is taken as complete (default 1.5 s). */
  albumQuietMs?: number;
}

const DEFAULT_ALBUM_QUIET_MS = 1500;
const IMPLICIT: Record<'image' | 'video', string> = { image: 'identify', video: 'annotate' };

export class TelegramBot {
  private readonly bot: Telegraf;
  private readonly admins: ChatAdmins;
  private readonly albums: AlbumCollector<Incoming>;
  private readonly choices = new PendingChoices();
  private readonly replies: ChatReplies;
  private polling: Promise<void> | undefined;
  private webhookServer: Server | undefined;

  constructor(private readonly parts: TelegramBotParts) {
    this.bot = new Telegraf(parts.settings.token, { telegram: { apiRoot: parts.settings.apiRoot, webhookReply: false } });
    this.admins = new ChatAdmins(this.bot.telegram);
    this.replies = new ChatReplies(this.bot.telegram, parts.logger);
    this.albums = new AlbumCollector<Incoming>(parts.albumQuietMs ?? DEFAULT_ALBUM_QUIET_MS, (messages) => void this.guard(() => this.onMessages(messages)));
    this.bot.on('message', async (ctx) => {
      const message: Incoming = ctx.message;
      const migration = migrationOf(message);
      if (migration !== undefined) await this.guard(() => this.onMigration(migration));
      else if (!this.albums.add(message)) await this.guard(() => this.onMessages([message]));
    });
    this.bot.on('callback_query', (ctx) => this.guard(() => this.onButton(ctx.callbackQuery)));
    this.bot.catch((error) => parts.logger.error({ err: redactedError(error) }, 'Telegram update failed'));
  }

  get settings(): TelegramSettings {
    return this.parts.settings;
  }

  async start(): Promise<void> {
    const { telegram } = this.bot;
    this.bot.botInfo = await telegram.getMe();
    await syncCommandMenu(telegram, COMMANDS);
    const { webhook } = this.parts.settings;
    const allowedUpdates: ('message' | 'callback_query')[] = ['message', 'callback_query'];
    if (webhook !== undefined) {
      await this.listenForWebhook(webhook);
      await telegramCall('setWebhook', () => telegram.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: allowedUpdates }));
    } else {
      this.polling = this.bot.launch({ allowedUpdates }).catch((error: unknown) => {
        this.parts.logger.error({ err: redactedError(error) }, 'Telegram polling stopped');
      });
    }
    this.parts.logger.info({ bot: this.bot.botInfo.username, mode: webhook === undefined ? 'polling' : 'webhook' }, 'Telegram bot started');
  }

  async stop(): Promise<void> {
    this.albums.close();
    if (this.polling !== undefined) this.bot.stop('shutdown');
    await this.polling;
    const server = this.webhookServer;
    if (server?.listening === true) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  /**
   * Our own server for telegraf's webhook handler (which refuses updates without the secret token): the URL
   * Telegram calls is the configured one as it is, e.g. behind a TLS proxy.
   */
  private async listenForWebhook(webhook: NonNullable<TelegramSettings['webhook']>): Promise<void> {
    const handler = this.bot.webhookCallback(new URL(webhook.url).pathname, { secretToken: webhook.secret });
    const server = createServer((request, response) => void handler(request, response));
    this.webhookServer = server;
    server.listen(webhook.port, webhook.host);
    await once(server, 'listening');
  }

  /** The adapter's error boundary: nothing a chat sends may throw out of a handler. */
  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.parts.logger.error({ err: redactedError(error) }, 'Telegram message not handled');
    }
  }

  /** A group that became a supergroup has a new chat id: its groups follow it (both service messages may come). */
  private async onMigration(migration: { from: number; to: number }): Promise<void> {
    const moved = await this.parts.core.store.moveServer(`telegram:${migration.from}`, `telegram:${migration.to}`);
    if (moved.length === 0) return;
    this.parts.logger.info({ from: migration.from, to: migration.to, groups: moved.length }, 'chat migrated; its groups moved with it');
    await telegramCall('sendMessage', () => this.bot.telegram.sendMessage(migration.to, `This chat is a supergroup now; its groups moved with it: ${moved.join(', ')}.`));
  }

  private async onMessages(messages: Incoming[]): Promise<void> {
    const withCommand = messages.find((message) => parseCommandText(textOf(message)) !== undefined);
    const parsed = withCommand === undefined ? undefined : parseCommandText(textOf(withCommand));
    const first = withCommand ?? messages[0];
    if (first === undefined) return;
    if (parsed === undefined || withCommand === undefined) {
      await this.onPlainMedia(messages);
      return;
    }
    const username = this.bot.botInfo?.username ?? '';
    if (parsed.addressedTo !== undefined && parsed.addressedTo.toLowerCase() !== username.toLowerCase()) return;
    const name = parsed.name === 'start' ? 'help' : parsed.name;
    const command = findCommand(name, 'slash');
    const origin = originOf(withCommand);
    if (command === undefined) {
      if (withCommand.chat.type === 'private' || parsed.addressedTo !== undefined) await this.replies.text(origin, `I do not know /${parsed.name}. /help lists what I do.`);
      return;
    }
    const media = this.mediaFor(messages, withCommand);
    await this.execute(command, origin, () => commandOptions(name, parsed.args, media));
  }

  /** In a private chat a photo or clip without a command is identified or labelled; elsewhere it is not ours. */
  private async onPlainMedia(messages: Incoming[]): Promise<void> {
    for (const message of messages) {
      if (message.chat.type !== 'private') return;
      const kind = mediaKindOf(message);
      if (kind === 'archive') {
        await this.replies.text(originOf(message), 'To import a zip with one folder per member, send it with the caption /enroll <group>.');
        continue;
      }
      const command = kind === undefined ? undefined : findCommand(IMPLICIT[kind], 'slash');
      if (command === undefined || kind === undefined) continue;
      const media = mediaOf(message, kind);
      await this.execute(command, originOf(message), () => (kind === 'image' ? { image: media } : { video: media }));
    }
  }

  /** The command message's own media (its album's), or else the media of the message it replies to (and its album). */
  private mediaFor(messages: Incoming[], commandMessage: Incoming): MessageMedia {
    const own = collectMedia(messages);
    if (own.images.length > 0 || own.video !== undefined || own.archive !== undefined) return own;
    const replied = commandMessage.reply_to_message;
    return replied === undefined ? own : collectMedia(this.albums.albumOf(replied));
  }

  private async execute(command: Command, origin: Origin, options: () => RawOptions, confirmed = false): Promise<void> {
    const logger = this.parts.logger.child({ chat: origin.chatId, message: origin.messageId, command: command.name });
    try {
      const raw = options();
      for (const value of Object.values(raw)) if (typeof value === 'object') checkDownloadable(value, this.parts.settings.downloadLimitBytes);
      requireMedia(command, raw);
      const context = await this.contextFor(origin, command);
      const filled = await this.withImplicitGroup(command, context, raw);
      if (command.name === 'forget' && context.isAdmin && !confirmed) {
        await this.confirmForget(command, origin, filled);
        return;
      }
      const outcome = await runCommand(command, context, filled);
      await this.answer(origin, context, outcome);
      logger.info({ outcome: outcome.kind }, 'command handled');
    } catch (error) {
      const notice = toNotice(error);
      if (notice.code === 'group_required') {
        await this.askGroup(command, origin, options);
        return;
      }
      if (notice.code === 'internal') logger.error({ err: redactedError(error) }, 'command failed');
      else logger.info({ code: notice.code }, 'command refused');
      await this.replies.text(origin, notice.message);
    }
  }

  private async contextFor(origin: Origin, command: Command): Promise<CommandContext> {
    return {
      core: this.parts.core,
      server: `telegram:${origin.chatId}`,
      user: String(origin.userId),
      isAdmin: command.access === 'admin' ? await this.admins.isAdmin(origin.message) : false,
      uploadLimitBytes: this.parts.settings.uploadLimitBytes,
      prefix: '/',
      admins: origin.message.chat.type === 'private' ? 'you, in this private chat' : 'the chat\'s creator and administrators',
    };
  }

  /** Commands whose group is required take the chat's default or only group when none was named. */
  private async withImplicitGroup(command: Command, context: CommandContext, options: RawOptions): Promise<RawOptions> {
    const needsGroup = command.options.some((option) => option.name === 'group' && option.required);
    if (!needsGroup || options.group !== undefined || context.server === undefined) return options;
    if (command.access === 'admin' && !context.isAdmin) return options;
    return { ...options, group: await resolveGroup(context.core, context.server, undefined) };
  }

  private async answer(origin: Origin, context: CommandContext, outcome: CommandOutcome): Promise<void> {
    if (outcome.kind === 'reply') {
      await this.replies.answer(origin, outcome.text, outcome.files);
      return;
    }
    const status = await this.replies.text(origin, outcome.working);
    const target: TelegramTarget = {
      kind: 'telegram',
      chatId: origin.chatId,
      replyTo: origin.messageId,
      ...(origin.threadId === undefined ? {} : { threadId: origin.threadId }),
      statusMessageId: status.message_id,
      uploadLimitBytes: context.uploadLimitBytes,
    };
    await submitJob(this.parts.producer, outcome.job, { id: `telegram:${origin.chatId}:${origin.messageId}`, server: context.server ?? '', by: context.user, target });
  }

  private async askGroup(command: Command, origin: Origin, options: () => RawOptions): Promise<void> {
    const groups = (await this.parts.core.store.listGroups(`telegram:${origin.chatId}`)).map((group) => group.name).slice(0, 20);
    await this.ask(origin, `Which group? (You can also name it: /${command.name} <group> …)`, groups, async (index) => {
      const group = groups[index];
      if (group !== undefined) await this.execute(command, origin, () => ({ ...options(), group }));
    });
  }

  private async confirmForget(command: Command, origin: Origin, options: RawOptions): Promise<void> {
    const what = options.sample === undefined ? `${String(options.member)} and all their photos` : `photo #${String(options.sample)} of ${String(options.member)}`;
    await this.ask(origin, `Forget ${what} from ${String(options.group)}? This cannot be undone.`, ['Forget', 'Cancel'], async (index) => {
      if (index === 0) await this.execute(command, origin, () => options, true);
      else await this.replies.text(origin, 'Nothing was forgotten.');
    });
  }

  private async ask(origin: Origin, question: string, labels: string[], answer: (index: number) => Promise<void>): Promise<void> {
    const data = this.choices.add({ userId: origin.userId, labels, answer });
    await this.replies.question(origin, question, labels.map((label, index) => ({ text: label, callback_data: data[index] ?? '' })));
  }

  /** "Accept all" / "Discard" under a search's review sheet: chat admins only, decided once, buttons removed. */
  private async onReviewButton(query: CallbackQuery, review: { id: string; action: 'accept' | 'discard' }): Promise<void> {
    const message = query.message;
    const command = findCommand('review', 'slash');
    if (message === undefined || command === undefined) return;
    const origin: Origin = { chatId: message.chat.id, messageId: message.message_id, userId: query.from.id, threadId: undefined, message: { chat: message.chat, from: query.from } };
    const context = await this.contextFor(origin, command);
    if (!context.isAdmin) {
      await this.replies.answerButton(query.id, 'Only the chat\'s administrators can decide on these photos.');
      return;
    }
    await this.replies.answerButton(query.id, undefined);
    await this.replies.removeButtons(message.chat.id, message.message_id);
    try {
      const outcome = await runCommand(command, context, { id: review.id, action: review.action });
      if (outcome.kind === 'reply') await this.replies.text(origin, outcome.text);
    } catch (error) {
      const notice = toNotice(error);
      await this.replies.text(origin, notice.message);
    }
  }

  private async onButton(query: CallbackQuery): Promise<void> {
    const data = 'data' in query ? query.data : '';
    const review = parseReviewCallback(data);
    if (review !== undefined) {
      await this.onReviewButton(query, review);
      return;
    }
    const taken = this.choices.take(data, query.from.id);
    if (taken === 'expired' || taken === 'not-yours') {
      await this.replies.answerButton(query.id, taken === 'expired' ? 'This question has expired: run the command again.' : 'Only the person who asked can answer this.');
      return;
    }
    await this.replies.answerButton(query.id, undefined);
    const label = taken.choice.labels[taken.index] ?? '';
    if (query.message !== undefined) await this.replies.closeQuestion(query.message.chat.id, query.message.message_id, label);
    await taken.choice.answer(taken.index);
  }
}
