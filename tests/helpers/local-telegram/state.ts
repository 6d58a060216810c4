import type { User, UserFromGetMe } from 'telegraf/types';
import type { Conversations } from './conversations.ts';
import type { FileStore } from './files.ts';
import type { Params } from './params.ts';
import type { CallbackAnswer, ChatActionRecord, CommandsEntry, LocalCallbackQuery, RequestRecord, SentRecord, WebhookState } from './types.ts';
import type { UpdateQueue } from './updates.ts';

/** Everything the local Telegram knows; the methods read and change it, tests look at it. */
export interface LocalTelegramState {
  readonly token: string;
  readonly bot: UserFromGetMe;
  readonly conversations: Conversations;
  readonly files: FileStore;
  readonly updates: UpdateQueue;
  readonly sent: SentRecord[];
  readonly actions: ChatActionRecord[];
  /** Last setMyCommands per scope and language, keyed by `scopeKey`. */
  readonly commands: Map<string, CommandsEntry>;
  readonly callbacks: Map<string, { query: LocalCallbackQuery; answer: CallbackAnswer | undefined }>;
  readonly failures: Map<string, { retryAfter: number; times: number }>;
  readonly requests: RequestRecord[];
  readonly downloadLimitBytes: number;
  readonly uploadLimitBytes: number;
  webhook: WebhookState | undefined;
}

export interface ApiCall {
  /** The method's canonical name (sendMessage), whatever case the request used. */
  method: string;
  params: Params;
  /** Aborted when the client goes away (ends a long poll). */
  signal: AbortSignal;
}

export type MethodHandler = (state: LocalTelegramState, call: ApiCall) => unknown;

export const unixTime = (ms = Date.now()): number => Math.floor(ms / 1000);

/** The bot as it appears in messages (`from`) and chat members: without getMe's capability fields. */
export function botAsUser(bot: UserFromGetMe): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}
