/**
 * The bot's update queue and getUpdates long polling, as the Bot API runs them: an update stays queued until a
 * getUpdates offset above its update_id confirms it; one long poll at a time (a newer one ends the older with 409);
 * allowed_updates, once given, filters the updates queued afterwards.
 */
import { BotApiError } from './api-error.ts';

export interface QueuedUpdate {
  updateId: number;
  /** The Update field that carries it: message, callback_query... */
  kind: string;
  payload: unknown;
}

/** Every update type except those Telegram sends only on request. */
const OPT_IN_KINDS = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
export const LONG_POLL_MAX_SECONDS = 50;

interface LongPoll {
  limit: number;
  finish(updates: QueuedUpdate[]): void;
  fail(error: BotApiError): void;
}

export function updateJson(update: QueuedUpdate): Record<string, unknown> {
  return { update_id: update.updateId, [update.kind]: update.payload };
}

export class UpdateQueue {
  private queue: QueuedUpdate[] = [];
  private nextId = 500_000_001;
  private allowed: ReadonlySet<string> | undefined;
  private longPoll: LongPoll | undefined;
  private ended = false;

  get pendingCount(): number {
    return this.queue.length;
  }

  get allowedUpdates(): string[] | undefined {
    return this.allowed && [...this.allowed];
  }

  /** Queues an update unless allowed_updates excludes its kind; returns it, or undefined when dropped. */
  push(kind: string, payload: unknown): QueuedUpdate | undefined {
    const wanted = this.allowed === undefined ? !OPT_IN_KINDS.has(kind) : this.allowed.has(kind);
    if (!wanted) return undefined;
    const update = { updateId: this.nextId++, kind, payload };
    this.queue.push(update);
    this.wakeLongPoll();
    return update;
  }

  /** An empty list restores the default; undefined keeps the current setting. */
  setAllowed(kinds: readonly string[] | undefined): void {
    if (kinds === undefined) return;
    this.allowed = kinds.length === 0 ? undefined : new Set(kinds);
  }

  /** Drops what an offset confirms; a negative offset keeps only the last -offset updates. */
  confirm(offset: number): void {
    if (offset < 0) this.queue = this.queue.slice(offset);
    else if (offset > 0) this.queue = this.queue.filter((update) => update.updateId >= offset);
  }

  peek(limit: number): QueuedUpdate[] {
    return this.queue.slice(0, limit);
  }

  clear(): void {
    this.queue = [];
  }

  /** Answers at once when updates wait (or timeout is 0), else holds until one comes, the timeout, or the end. */
  poll(limit: number, timeoutSeconds: number, signal: AbortSignal): Promise<QueuedUpdate[]> {
    const ready = this.peek(limit);
    if (ready.length > 0 || timeoutSeconds <= 0 || this.ended || signal.aborted) return Promise.resolve(ready);
    this.endLongPoll(new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    return new Promise<QueuedUpdate[]>((resolve, reject) => {
      const poll: LongPoll = {
        limit,
        finish: (updates) => settle(() => resolve(updates)),
        fail: (error) => settle(() => reject(error)),
      };
      const timer = setTimeout(() => poll.finish([]), Math.min(timeoutSeconds, LONG_POLL_MAX_SECONDS) * 1000);
      const onAbort = (): void => poll.finish([]);
      const settle = (answer: () => void): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.longPoll === poll) this.longPoll = undefined;
        answer();
      };
      signal.addEventListener('abort', onAbort);
      this.longPoll = poll;
    });
  }

  /** Ends the waiting long poll with an error (a newer poll, setWebhook). */
  endLongPoll(error: BotApiError): void {
    this.longPoll?.fail(error);
  }

  /** For shutdown: the waiting poll answers with no updates, and later ones answer at once. */
  end(): void {
    this.ended = true;
    this.longPoll?.finish([]);
  }

  private wakeLongPoll(): void {
    const poll = this.longPoll;
    if (poll !== undefined) poll.finish(this.peek(poll.limit));
  }
}
