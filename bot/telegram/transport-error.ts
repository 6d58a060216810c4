/**
 * Bot API failures as our own typed error (method, status, Telegram's description, retry_after), with the bot
 * token never in a message; 429 answers are retried after the time Telegram asks for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError } from 'telegraf';

const BOT_TOKEN = /\d{3,}:[A-Za-z0-9_-]{20,}/g;
/** Longer waits than this fail the call (the job's own retry takes over) instead of holding a worker. */
const MAX_RETRY_AFTER_SECONDS = 60;
const MAX_RATE_LIMIT_RETRIES = 3;

export class TelegramTransportError extends Error {
  override readonly name = 'TelegramTransportError';

  constructor(
    readonly method: string,
    readonly status: number | undefined,
    readonly description: string,
    readonly retryAfterSeconds: number | undefined,
    options?: ErrorOptions,
  ) {
    super(`Telegram ${method} failed${status === undefined ? '' : ` (${status})`}: ${redactToken(description)}`, options);
  }

  /** Telegram's "message is not modified": an edit that changed nothing, which is not a failure for us. */
  get notModified(): boolean {
    return this.status === 400 && /message is not modified/i.test(this.description);
  }

  get messageGone(): boolean {
    return this.status === 400 && /message to (edit|delete) not found|message can't be (edited|deleted)/i.test(this.description);
  }
}

export function redactToken(text: string): string {
  return text.replace(BOT_TOKEN, '<token>');
}

export interface RetryOptions {
  maxRetries?: number;
  maxWaitSeconds?: number;
  wait?: (ms: number) => Promise<unknown>;
}

/** Runs one Bot API call; a 429 is retried after its retry_after (a few times, within a bound). */
export async function telegramCall<T>(method: string, call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxRetries = MAX_RATE_LIMIT_RETRIES, maxWaitSeconds = MAX_RETRY_AFTER_SECONDS, wait = sleep } = options;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const failure = asTransportError(method, error);
      const retryAfter = failure.retryAfterSeconds;
      if (failure.status !== 429 || retryAfter === undefined || attempt >= maxRetries || retryAfter > maxWaitSeconds) throw failure;
      await wait(retryAfter * 1000);
    }
  }
}

function asTransportError(method: string, error: unknown): TelegramTransportError {
  if (error instanceof TelegramTransportError) return error;
  if (error instanceof TelegramError) {
    return new TelegramTransportError(method, error.code, error.description, error.parameters?.retry_after, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelegramTransportError(method, undefined, message, undefined, { cause: error });
}
