/**
 * The telegraf adapter: messages (commands in text or captions, replies to media, albums, plain media in private
 * chats) become command runs through bot/shared's runner; each command reads its own typed words. Quick answers
 * are sent at once, heavy work is queued behind a "working…" message that the worker's delivery replaces.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Telegraf } from 'telegraf';
import type { CallbackQuery } from 'telegraf/types';
import { COMMANDS, findCommand, resolveGroup, textAnswer, type Command, type CommandContext, type RawOptions } from '../../commands/index.ts';
import type { MessageMedia } from '../../commands/text-grammar.ts';
import type { TelegramSettings } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { JobCancellations } from '../../workers/cancellations.ts';
import type { JobProducer } from '../../workers/producer.ts';
import { CANCELLING_TEXT, parseCancelButton, pressCancel } from '../shared/cancel-buttons.ts';
import { runCommandCall } from '../shared/command-runner.ts';
import { SLASH_PHRASING } from '../../answers/phrasing.ts';
import { decideReview, parseReviewButton, type ReviewChoice } from '../shared/review-buttons.ts';
import { AlbumCollector } from './albums.ts';
import { ChatAdmins } from './chat-admins.ts';
import { answerButton, ChatButtonResponder, ChatResponder, whereOf, type Origin } from './chat-responder.ts';
import { syncCommandMenu } from './command-menu.ts';
import { parseCommandText } from './command-text.ts';
import { collectMedia, migrationOf, originOf, redactedError, requireMedia, textOf, type Incoming } from './incoming.ts';
import { checkDownloadable, mediaKindOf, mediaOf } from './message-media.ts';
import { PendingChoices } from './pending-choices.ts';
import { displayNameOf, pressFeedback, repliedAnswer } from './corrections.ts';
import { capitalised, confirmation } from './confirmation.ts';
import { parseFeedbackButton, type FeedbackPress } from '../shared/feedback-buttons.ts';
import { TelegramSender } from './telegram-sender.ts';
import { telegramCall } from './transport-error.ts';

export interface TelegramBotParts {
  settings: TelegramSettings;
  core: CoreContext;
  producer: JobProducer;
  cancellations: JobCancellations;
  logger: Logger;
  /** How long an album must be quiet before it is taken as complete (default 1.5 s). */
  albumQuietMs?: number;
}

const DEFAULT_ALBUM_QUIET_MS = 1500;

export class TelegramBot {
  private readonly bot: Telegraf;
  private readonly admins: ChatAdmins;
  private readonly albums: AlbumCollector<Incoming>;
  private readonly choices = new PendingChoices();
  private readonly sender: TelegramSender;
  private polling: Promise<void> | undefined;
  private webhookServer: Server | undefined;

  constructor(private readonly parts: TelegramBotParts) {
    this.bot = new Telegraf(parts.settings.token, { telegram: { apiRoot: parts.settings.apiRoot, webhookReply: false } });
    this.admins = new ChatAdmins(this.bot.telegram);
    this.sender = new TelegramSender(this.bot.telegram, parts.logger);
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
    if (parsed === undefined || withCommand === undefined) {
      await this.onPlainMedia(messages);
      return;
    }
    const username = this.bot.botInfo?.username ?? '';
    if (parsed.addressedTo !== undefined && parsed.addressedTo.toLowerCase() !== username.toLowerCase()) return;
    const command = findCommand(parsed.name === 'start' ? 'help' : parsed.name, 'slash');
    const origin = originOf(withCommand);
    if (command?.text === undefined) {
      if (withCommand.chat.type === 'private' || parsed.addressedTo !== undefined) await this.say(origin, `I do not know /${parsed.name}. /help lists what I do.`);
      return;
    }
    const { text } = command;
    const media = { ...this.mediaFor(messages, withCommand), ...repliedAnswer(withCommand.reply_to_message) };
    await this.execute(command, origin, () => text.parse(parsed.args, media));
  }

  /** In a private chat a photo or clip without a command runs the command that takes it; elsewhere it is not ours. */
  private async onPlainMedia(messages: Incoming[]): Promise<void> {
    for (const message of messages) {
      if (message.chat.type !== 'private') return;
      const kind = mediaKindOf(message);
      if (kind === 'archive') {
        await this.say(originOf(message), 'To import a zip with one folder per member, send it with the caption /enroll <group>.');
        continue;
      }
      const command = COMMANDS.find((entry) => entry.kind === 'slash' && kind !== undefined && entry.text?.plainMedia === kind);
      const media = kind === undefined ? undefined : mediaOf(message, kind);
      if (command?.text === undefined || media === undefined) continue;
      const { text } = command;
      await this.execute(command, originOf(message), () => text.parse([], { images: kind === 'image' ? [media] : [], video: kind === 'video' ? media : undefined, archive: undefined }));
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
    const context = await this.contextFor(origin, command);
    const prepared = (): Promise<RawOptions> => this.prepare(command, context, options());
    const question = confirmed ? undefined : await confirmation(command, context, prepared);
    if (question !== undefined) {
      await this.ask(origin, question, [capitalised(command.name), 'Cancel'], async (index) => {
        if (index === 0) await this.execute(command, origin, options, true);
        else await this.say(origin, 'Cancelled: nothing changed.');
      });
      return;
    }
    const requestId = `telegram:${origin.chatId}:${origin.messageId}`;
    const call = {
      command, context, options: prepared, requestId, logger, loggable: redactedError,
      recover: async (notice: ErrorNotice) => notice.code === 'group_required' && await this.askGroup(command, origin, options),
    };
    await runCommandCall(call, new ChatResponder(this.sender, whereOf(origin, context.uploadLimitBytes), { userId: context.user, requestId }), this.parts.producer);
  }

  /** Refused before anything is fetched: files Telegram will not hand to bots, a command without its file; the chat's group filled in. */
  private async prepare(command: Command, context: CommandContext, raw: RawOptions): Promise<RawOptions> {
    for (const value of Object.values(raw)) if (typeof value === 'object') checkDownloadable(value, this.parts.settings.downloadLimitBytes);
    requireMedia(command, raw);
    return this.withImplicitGroup(command, context, raw);
  }

  private async contextFor(origin: Origin, command: Command): Promise<CommandContext> {
    return {
      core: this.parts.core,
      server: `telegram:${origin.chatId}`,
      user: String(origin.userId),
      ...(origin.message.from === undefined ? {} : { userName: displayNameOf(origin.message.from) }),
      isAdmin: command.access === 'admin' || command.answerDependsOnRole === true ? await this.admins.isAdmin(origin.message) : false,
      uploadLimitBytes: this.parts.settings.uploadLimitBytes,
      phrasing: SLASH_PHRASING,
      admins: origin.message.chat.type === 'private' ? 'you, in this private chat' : 'the chat\'s creator and administrators',
    };
  }

  /** Commands whose group is required take the chat's default or only group when none was named. */
  private async withImplicitGroup(command: Command, context: CommandContext, options: RawOptions): Promise<RawOptions> {
    const needsGroup = command.options.some((option) => option.name === 'group' && option.required);
    if (!needsGroup || options.group !== undefined || context.server === undefined) return options;
    return { ...options, group: await resolveGroup(context.core, context.server, undefined, context.phrasing) };
  }

  private async askGroup(command: Command, origin: Origin, options: () => RawOptions): Promise<boolean> {
    const groups = (await this.parts.core.store.listGroups(`telegram:${origin.chatId}`)).map((group) => group.name).slice(0, 20);
    await this.ask(origin, `Which group? (You can also name it: /${command.name} <group> …)`, groups, async (index) => {
      const group = groups[index];
      if (group !== undefined) await this.execute(command, origin, () => ({ ...options(), group }));
    });
    return true;
  }

  private async ask(origin: Origin, question: string, labels: string[], answer: (index: number, questionMessageId: number | undefined) => Promise<void>): Promise<void> {
    const data = this.choices.add({ userId: origin.userId, labels, answer });
    await this.sender.post(whereOf(origin, this.parts.settings.uploadLimitBytes), question, labels.map((label, index) => ({ text: label, callback_data: data[index] ?? '' })));
  }

  private async say(origin: Origin, text: string): Promise<void> {
    await this.sender.send(textAnswer(text), whereOf(origin, this.parts.settings.uploadLimitBytes));
  }

  private async onButton(query: CallbackQuery): Promise<void> {
    const data = 'data' in query ? query.data : '';
    const cancel = parseCancelButton(data);
    if (cancel !== undefined) {
      await pressCancel(cancel, String(query.from.id), this.parts.cancellations, {
        refuse: (text) => answerButton(this.bot.telegram, query.id, text, this.parts.logger),
        acknowledge: async () => {
          await answerButton(this.bot.telegram, query.id, undefined, this.parts.logger);
          if (query.message !== undefined) await this.replaceText(query.message.chat.id, query.message.message_id, CANCELLING_TEXT);
        },
      });
      return;
    }
    const feedback = parseFeedbackButton(data);
    if (feedback !== undefined && query.message !== undefined) {
      await this.onFeedbackButton(query, query.message, feedback);
      return;
    }
    const review = parseReviewButton(data);
    if (review !== undefined) {
      await this.onReviewButton(query, review);
      return;
    }
    const taken = this.choices.take(data, query.from.id);
    if (taken === 'expired' || taken === 'not-yours') {
      await answerButton(this.bot.telegram, query.id, taken === 'expired' ? 'This question has expired: run the command again.' : 'Only the person who asked can answer this.', this.parts.logger);
      return;
    }
    await answerButton(this.bot.telegram, query.id, undefined, this.parts.logger);
    const label = taken.choice.labels[taken.index] ?? '';
    if (query.message !== undefined) await this.closeQuestion(query.message.chat.id, query.message.message_id, label);
    await taken.choice.answer(taken.index, query.message?.message_id);
  }

  /** "Wrong name?" and "Face 2: Lisa?" under a labelled answer: a fan's correction, asked of the fan who pressed. */
  private async onFeedbackButton(query: CallbackQuery, message: NonNullable<CallbackQuery['message']>, press: FeedbackPress): Promise<void> {
    const origin: Origin = { chatId: message.chat.id, messageId: message.message_id, userId: query.from.id, threadId: undefined, message: { chat: message.chat, from: query.from } };
    await pressFeedback(press, origin, {
      core: this.parts.core,
      logger: this.parts.logger.child({ chat: origin.chatId, button: 'correct' }),
      ask: (asked, question, labels, answer) => this.ask(asked, question, labels, answer),
      execute: (command, asked, options) => this.execute(command, asked, options),
      notify: (text) => answerButton(this.bot.telegram, query.id, text, this.parts.logger),
      fanName: displayNameOf(query.from),
    });
  }

  /** "Accept all" / "Discard" under a search's review sheet: the shared review flow, chat admins only. */
  private async onReviewButton(query: CallbackQuery, review: ReviewChoice): Promise<void> {
    const message = query.message;
    const command = findCommand('review', 'slash');
    if (message === undefined || command === undefined) return;
    const origin: Origin = { chatId: message.chat.id, messageId: message.message_id, userId: query.from.id, threadId: undefined, message: { chat: message.chat, from: query.from } };
    const context = await this.contextFor(origin, command);
    const where = { ...whereOf(origin, context.uploadLimitBytes), buttonsMessageId: message.message_id };
    const logger = this.parts.logger.child({ chat: origin.chatId, button: 'review' });
    await decideReview(review, context, new ChatButtonResponder(this.bot.telegram, this.sender, query.id, where, logger), logger);
  }

  /** The question's buttons are removed and the choice shown, so it cannot be answered twice. */
  private async closeQuestion(chatId: number, messageId: number, choice: string): Promise<void> {
    await this.replaceText(chatId, messageId, `Chosen: ${choice}`);
  }

  /** A message of the bot's with new words and without its buttons (an edit without them drops them). */
  private async replaceText(chatId: number, messageId: number, text: string): Promise<void> {
    await telegramCall('editMessageText', () => this.bot.telegram.editMessageText(chatId, messageId, undefined, text)).catch((error: unknown) => {
      this.parts.logger.debug({ err: error }, 'message not edited');
    });
  }
}
