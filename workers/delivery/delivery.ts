/**
 * The Delivery port: workers hand results, progress and failures to it; each platform adapter implements it
 * (Discord replies with the interaction token over REST, Telegram through the Bot API), so any worker process
 * can answer without a gateway connection.
 */
import type { JobAnswer } from '../results.ts';

/** Where a request's answer goes. Platform targets are added by their adapters. */
export type DeliveryTarget =
  /** Written to the outbox directory (requests without a bot). */
  | { kind: 'outbox' }
  /** Handed back to the process that queued the job and waits for it (the CLI with --queue). */
  | { kind: 'caller' }
  /** Work nobody waits for (a debounced training). */
  | { kind: 'none' }
  | DiscordTarget
  | TelegramTarget;

/**
 * A Discord interaction, answered over REST with its token from any process (no gateway needed); after the
 * token's 15 minutes, as a message in its channel. The token is a secret: never logged.
 */
export interface DiscordTarget {
  kind: 'discord';
  applicationId: string;
  interactionToken: string;
  channelId: string;
  userId: string;
  /** When the interaction was created (ms since the epoch): its token lives 15 minutes from then. */
  createdAt: number;
  /** The deferred reply is ephemeral (only the user sees it). */
  privateAnswer: boolean;
  /** The most bytes one file may have in this channel (the interaction's attachment_size_limit). */
  uploadLimitBytes: number;
}

/** A Telegram chat, answered through the Bot API from any process with the bot's token. */
export interface TelegramTarget {
  kind: 'telegram';
  chatId: number;
  /** The user's message the answer replies to. */
  replyTo: number;
  /** Forum topic of the message, when the chat has topics. */
  threadId?: number;
  /** The bot's "working…" message: edited with progress, then replaced by the answer. */
  statusMessageId: number;
  /** The most bytes one file of the answer may have (50 MB on the public Bot API). */
  uploadLimitBytes: number;
  /** The working message's "Cancel" button data: progress edits keep the button (an edit without it drops it). */
  cancelButton?: string;
}

export interface DeliveryRequest {
  id: string;
  target: DeliveryTarget;
}

export interface JobProgress {
  stage: string;
  percent: number;
}

export interface FailureNotice {
  code: string;
  message: string;
}

/** What a delivery left behind, kept with the request so that a second run of the job does not deliver again. */
export type DeliveryReceipt = Record<string, string | number | boolean | Record<string, string>>;

export interface Delivery {
  progress(request: DeliveryRequest, progress: JobProgress): Promise<void>;
  deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt>;
  fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt>;
}

/** For targets nobody waits on. */
export const silentDelivery: Delivery = {
  progress: async () => {},
  deliver: async () => ({}),
  fail: async () => ({}),
};

/**
 * For a platform this process has no credentials for: the job fails as transient (retried, so that a process that
 * has them may take it) and the log says what to set.
 */
export function unconfiguredDelivery(platform: string, variable: string): Delivery {
  const refuse = async (): Promise<never> => {
    throw new Error(`this process cannot answer on ${platform}: set ${variable} for every worker process`);
  };
  return { progress: async () => {}, deliver: refuse, fail: refuse };
}
