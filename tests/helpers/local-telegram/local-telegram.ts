/**
 * A local Telegram Bot API on loopback for end-to-end tests of the real telegraf client: method calls under
 * `/bot<token>/`, downloads under `/file/bot<token>/`, long polling, webhooks, uploads, Telegram's errors.
 * Tests play the users (messages, button presses) and read what the bot sent.
 *
 * Not emulated: parse_mode (text is kept as sent), HTTP URLs as media, media groups, inline messages, channels,
 * getUpdates' minimum 3 s hold for a repeated offset, photo recompression (the original bytes are kept).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Animation, Chat, Document, PhotoSize, User, Video, VideoNote } from 'telegraf/types';
import { Conversations, type ChatSpec } from './conversations.ts';
import { FileStore, mimeTypeOf, type FileMeta, type StoredFile } from './files.ts';
import { animationOf, documentOf, photoSizes, videoNoteOf, videoOf, type Clip } from './media.ts';
import { commandEntities, withoutNestedReply } from './messages.ts';
import { serveRequest } from './router.ts';
import { unixTime, type LocalTelegramState } from './state.ts';
import type { CallbackAnswer, ChatActionRecord, CommandsEntry, LocalCallbackQuery, LocalMessage, MemberStatus, RequestRecord, SentRecord, UserMessageInput } from './types.ts';
import { UpdateQueue } from './updates.ts';
import { deliverQueued, postUpdate } from './webhook.ts';

export type { ChatSpec } from './conversations.ts';
export type { FileMeta } from './files.ts';
export type { Clip } from './media.ts';
export type * from './types.ts';

export interface LocalTelegramOptions {
  /** `<bot id>:<secret>`; the digits before the colon become the bot's user id, as on Telegram. */
  token: string;
  botUsername?: string;
  botName?: string;
  /** getFile refuses larger files (Telegram: 20 MB). */
  downloadLimitBytes?: number;
  /** Larger uploads answer 413 (Telegram: 50 MB). */
  uploadLimitBytes?: number;
}

const MB = 1024 * 1024;
const WAIT_STEP_MS = 25;
const CLOSE_GRACE_MS = 1000;

export class LocalTelegram {
  readonly state: LocalTelegramState;
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(private readonly server: Server, options: LocalTelegramOptions) {
    const botId = Number(/^(\d+):/.exec(options.token)?.[1] ?? 7_000_000_001);
    this.state = {
      token: options.token,
      bot: {
        id: botId, is_bot: true, first_name: options.botName ?? 'Local Test Bot', username: options.botUsername ?? 'local_test_bot',
        can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
      },
      conversations: new Conversations(),
      files: new FileStore(),
      updates: new UpdateQueue(),
      sent: [], actions: [], commands: new Map(), callbacks: new Map(), failures: new Map(), requests: [],
      downloadLimitBytes: options.downloadLimitBytes ?? 20 * MB,
      uploadLimitBytes: options.uploadLimitBytes ?? 50 * MB,
      webhook: undefined,
    };
    server.on('request', (request, response) => {
      const served = serveRequest(this.state, request, response).finally(() => this.inFlight.delete(served));
      this.inFlight.add(served);
    });
  }

  static async start(options: LocalTelegramOptions): Promise<LocalTelegram> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new LocalTelegram(server, options);
  }

  /** For telegraf's `apiRoot` option. */
  get apiRoot(): string { return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`; }
  get token(): string { return this.state.token; }
  get botUser(): LocalTelegramState['bot'] { return this.state.bot; }
  /** Every Bot API call received, in order. */
  get requests(): readonly RequestRecord[] { return this.state.requests; }

  /** Calls of one method (canonical name, e.g. 'sendMessage'). */
  calls(method: string): RequestRecord[] { return this.state.requests.filter((request) => request.method === method); }

  addChat(spec: ChatSpec): Chat { return this.state.conversations.addChat(spec); }

  user(id: number, firstName: string, extra: { username?: string; languageCode?: string } = {}): User {
    return this.state.conversations.addUser({
      id, is_bot: false, first_name: firstName,
      ...(extra.username === undefined ? {} : { username: extra.username }), ...(extra.languageCode === undefined ? {} : { language_code: extra.languageCode }),
    });
  }

  /** What getChatMember answers for this user in this chat (default 'member'); also the bot's own rights. */
  setRole(chatId: number, userId: number, status: MemberStatus): void { this.state.conversations.setRole(chatId, userId, status); }

  /** A file a user sent; returns its file_id. */
  addFile(bytes: Buffer, meta: FileMeta = {}): string { return this.state.files.add(bytes, meta, folderOf(meta)).fileId; }

  /** A file known only by its size (downloads as zeros), e.g. to exceed the download limit cheaply. */
  addFileOfSize(size: number, meta: FileMeta = {}): string { return this.state.files.add(size, meta, folderOf(meta)).fileId; }

  photoOf(fileId: string, width?: number, height?: number): PhotoSize[] { return photoSizes(this.state.files, this.file(fileId), width, height); }
  documentOf(fileId: string, name?: string, mimeType?: string): Document { return documentOf(this.file(fileId), name, mimeType); }
  videoOf(fileId: string, clip?: Clip): Video { return videoOf(this.file(fileId), clip); }
  animationOf(fileId: string, clip?: Clip): Animation { return animationOf(this.file(fileId), clip); }
  videoNoteOf(fileId: string, length?: number, duration?: number): VideoNote { return videoNoteOf(this.file(fileId), length, duration); }

  /** A user's message: gets message_id, date and a bot_command entity for a leading /command, and is queued as an update. */
  sendMessage(input: UserMessageInput): LocalMessage {
    const { chat: chatOrId, date, reply_to_message: replyTo, ...fields } = input;
    const chat = this.registeredChat(typeof chatOrId === 'number' ? chatOrId : chatOrId.id);
    if (fields.from !== undefined && this.state.conversations.user(fields.from.id) === undefined) this.state.conversations.addUser(fields.from);
    const reply = replyTo && (this.state.conversations.message(chat.id, replyTo.message_id) ?? replyTo);
    const entities = fields.entities ?? commandEntities(fields.text);
    const captionEntities = fields.caption_entities ?? commandEntities(fields.caption);
    const message = this.state.conversations.keep({
      ...fields, message_id: this.state.conversations.nextMessageId(chat.id), date: date ?? unixTime(), chat,
      ...(reply === undefined ? {} : { reply_to_message: withoutNestedReply(reply) }),
      ...(entities === undefined ? {} : { entities }), ...(captionEntities === undefined ? {} : { caption_entities: captionEntities }),
    });
    this.state.updates.push('message', message);
    return message;
  }

  /** A user presses an inline button the message (as it is now) carries; queues a callback_query update. */
  pressButton(message: LocalMessage, from: User, data: string): LocalCallbackQuery {
    const current = this.state.conversations.message(message.chat.id, message.message_id);
    if (current === undefined) throw new Error(`message ${message.message_id} in chat ${message.chat.id} is gone`);
    const buttons = current.reply_markup?.inline_keyboard.flat() ?? [];
    if (!buttons.some((button) => 'callback_data' in button && button.callback_data === data)) {
      throw new Error(`message ${message.message_id} has no button with callback_data ${JSON.stringify(data)}`);
    }
    const query: LocalCallbackQuery = { id: randomBytes(8).readBigUInt64BE().toString(), from, message: current, chat_instance: String(current.chat.id * 7919), data };
    this.state.callbacks.set(query.id, { query, answer: undefined });
    this.state.updates.push('callback_query', query);
    return query;
  }

  /** Queues any other update (edited_message, my_chat_member...); undefined when allowed_updates filters it out. */
  queueUpdate(kind: string, payload: object): number | undefined { return this.state.updates.push(kind, payload)?.updateId; }

  callbackAnswer(queryId: string): CallbackAnswer | undefined { return this.state.callbacks.get(queryId)?.answer; }

  /** The next `times` calls of `method` answer 429 "Too Many Requests: retry after N". */
  failNext(method: string, failure: { retryAfter: number; times?: number }): void {
    this.state.failures.set(method.toLowerCase(), { retryAfter: failure.retryAfter, times: failure.times ?? 1 });
  }

  /** The bot's messages, in order, as they are now (edited text, keyboard, deleted flag), with media bytes. */
  sent(chatId?: number): SentRecord[] { return this.state.sent.filter((record) => chatId === undefined || record.chatId === chatId); }

  actions(chatId?: number): ChatActionRecord[] { return this.state.actions.filter((action) => chatId === undefined || action.chatId === chatId); }

  /** The last setMyCommands per scope and language. */
  commands(): CommandsEntry[] { return [...this.state.commands.values()]; }

  fileBytes(fileId: string): Buffer { return this.state.files.bytesOf(this.file(fileId)); }

  /** POSTs an update to the webhook the bot set, with its secret token unless another is given; the HTTP status. */
  postToWebhook(update: object, secretToken?: string): Promise<number> { return postUpdate(this.state, update, secretToken); }

  /** Delivers the queued updates to the webhook as Telegram would; the HTTP statuses. */
  deliverToWebhook(): Promise<number[]> { return deliverQueued(this.state); }

  /** Resolves with `check`'s first defined result, checked every 25 ms; rejects naming `what` after timeoutMs. */
  async waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new Error(`local Telegram: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  /** Ends waiting long polls (empty answers), lets open calls finish, then closes every connection. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.state.updates.end();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_GRACE_MS); });
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
    this.server.close();
    this.server.closeAllConnections();
    await once(this.server, 'close');
  }

  private file(fileId: string): StoredFile {
    const file = this.state.files.get(fileId);
    if (file === undefined) throw new Error(`local Telegram: no file ${fileId}`);
    return file;
  }

  private registeredChat(chatId: number): Chat {
    const chat = this.state.conversations.knownChat(chatId);
    if (chat === undefined) throw new Error(`local Telegram: chat ${chatId} was not added (addChat)`);
    return chat;
  }
}

function folderOf(meta: FileMeta): string {
  const mimeType = mimeTypeOf(meta.name, meta.mimeType) ?? '';
  if (mimeType.startsWith('image/')) return 'photos';
  if (mimeType.startsWith('video/')) return 'videos';
  return 'documents';
}
