/**
 * Requests whose asker pressed "Cancel": a mark any process can set (the bot that got the press) and any worker
 * can see (the one running the job, or the one that takes it from the queue later). Marks expire after a day.
 */
import type { Redis } from 'ioredis';

export interface JobCancellations {
  cancel(requestId: string): Promise<void>;
  isCancelled(requestId: string): Promise<boolean>;
}

const MARK_SECONDS = 24 * 60 * 60;

export class MemoryJobCancellations implements JobCancellations {
  private readonly marks = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async cancel(requestId: string): Promise<void> {
    this.marks.set(requestId, this.now() + MARK_SECONDS * 1000);
  }

  async isCancelled(requestId: string): Promise<boolean> {
    const until = this.marks.get(requestId);
    if (until !== undefined && until < this.now()) this.marks.delete(requestId);
    return until !== undefined && until >= this.now();
  }
}

export class RedisJobCancellations implements JobCancellations {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async cancel(requestId: string): Promise<void> {
    await this.redis.set(this.key(requestId), '1', 'EX', MARK_SECONDS);
  }

  async isCancelled(requestId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(requestId))) === 1;
  }

  private key(requestId: string): string {
    return `${this.prefix}:cancelled:${requestId}`;
  }
}
