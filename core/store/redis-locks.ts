/**
 * Locks shared by every process on one Redis: per key, callers in this process queue on a
 * KeyedMutex, then the one at the front takes `SET <prefix>:lock:<key> <token> NX PX <ttl>`.
 * While its section runs the lease is renewed every ttl/3, only if the token is still ours; it is
 * released with a compare-and-delete, so a holder never deletes a lock that has passed to another.
 * A holder that crashes blocks the key until its lease expires (at most ttl).
 *
 * A lost lease (renewal found another token or none, or could not reach Redis for a whole ttl) is
 * logged at once, and `run` then throws LockLostError even if the section succeeded: another holder
 * may have run at the same time, so the result may rest on a stale read. The section is not
 * interrupted and what it already wrote stays written; the caller learns of it and can redo the work.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { Locks } from './locks.ts';
import { KeyedMutex } from './mutex.ts';
import { redactedUrl } from './open.ts';

export const DEFAULT_LOCK_TTL_MS = 30_000;
export const DEFAULT_LOCK_WAIT_MS = 120_000;
const MIN_RETRY_DELAY_MS = 5;
const MAX_RETRY_DELAY_MS = 200;
const IOREDIS_CONNECT_TIMEOUT_MS = 5000;

const RENEW_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const DELETE_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLocksOptions {
  /** Lock keys are `<prefix>:lock:<key>`. */
  prefix: string;
  /** How long a lock outlives a holder that stopped renewing it (crashed, frozen or cut off from Redis). */
  ttlMs?: number;
  /** How long `run` waits for a key before throwing LockTimeoutError. */
  maxWaitMs?: number;
  logger?: Logger;
}

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(readonly key: string, readonly waitedMs: number) {
    super(`Gave up waiting for the lock "${key}" after ${waitedMs} ms: another process holds it.`);
  }
}

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly key: string, reason: string) {
    super(`Lost the lock "${key}" while holding it (${reason}); the work done under it may have overlapped another holder's.`);
  }
}

/** The renewal of one held lock. */
interface Lease {
  /** Set once the lease is known lost. */
  lost(): LockLostError | undefined;
  stop(): void;
}

export class RedisLocks implements Locks {
  private readonly local = new KeyedMutex();
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxWaitMs: number;
  private readonly logger: Logger | undefined;

  constructor(private readonly redis: Redis, options: RedisLocksOptions) {
    this.prefix = options.prefix;
    this.ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.logger = options.logger;
  }

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => this.runHolding(key, section));
  }

  /** The Redis key that holds `key`'s lock. */
  redisKey(key: string): string {
    return `${this.prefix}:lock:${key}`;
  }

  private async runHolding<T>(key: string, section: () => Promise<T>): Promise<T> {
    const redisKey = this.redisKey(key);
    const token = randomBytes(16).toString('hex');
    const acquiredAt = await this.acquire(key, redisKey, token);
    const lease = this.renewWhileHeld(key, redisKey, token, acquiredAt);
    try {
      const result = await section();
      lease.stop();
      const lost = lease.lost();
      if (lost) throw lost;
      return result;
    } finally {
      lease.stop();
      await this.release(key, redisKey, token);
    }
  }

  /** Returns when the SET that won was sent: the lease runs from then. */
  private async acquire(key: string, redisKey: string, token: string): Promise<number> {
    const started = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const sentAt = Date.now();
      if ((await this.redis.set(redisKey, token, 'PX', this.ttlMs, 'NX')) === 'OK') return sentAt;
      // Ours already: a SET was applied but its reply lost with the connection, and ioredis sent it again.
      // Which attempt won is unknown, so the lease runs from the first.
      if ((await this.redis.get(redisKey)) === token) return started;
      const waited = Date.now() - started;
      if (waited >= this.maxWaitMs) throw new LockTimeoutError(key, waited);
      await sleep(Math.min(retryDelay(attempt), this.maxWaitMs - waited));
    }
  }

  private renewWhileHeld(key: string, redisKey: string, token: string, acquiredAt: number): Lease {
    let renewedAt = acquiredAt;
    let lost: LockLostError | undefined;
    let timer: NodeJS.Timeout | undefined;
    const markLost = (reason: string): void => {
      lost = new LockLostError(key, reason);
      this.logger?.warn({ lock: key }, lost.message);
    };
    const renew = async (): Promise<void> => {
      const sentAt = Date.now();
      try {
        const renewed = await this.redis.eval(RENEW_IF_OURS, 1, redisKey, token, String(this.ttlMs));
        if (timer === undefined) return;
        if (renewed === 1) renewedAt = sentAt;
        else return markLost('it expired or another process took it');
      } catch (error) {
        if (timer === undefined) return;
        if (Date.now() - renewedAt >= this.ttlMs) return markLost(`could not renew it for ${this.ttlMs} ms`);
        this.logger?.warn({ lock: key, err: error }, 'lock renewal failed; retrying');
      }
      schedule();
    };
    const schedule = (): void => {
      timer = setTimeout(() => void renew(), this.ttlMs / 3);
      timer.unref();
    };
    schedule();
    return {
      lost: () => lost,
      stop() {
        clearTimeout(timer);
        timer = undefined;
      },
    };
  }

  /** A failed release is only logged: the lock then expires after its ttl. */
  private async release(key: string, redisKey: string, token: string): Promise<void> {
    try {
      await this.redis.eval(DELETE_IF_OURS, 1, redisKey, token);
    } catch (error) {
      this.logger?.warn({ lock: key, err: error }, `could not release the lock; it expires within ${this.ttlMs} ms`);
    }
  }
}

/** Equal jitter: half the exponential delay, plus up to as much again at random, so waiters spread out. */
function retryDelay(attempt: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, MIN_RETRY_DELAY_MS * 2 ** Math.min(attempt, 10));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export interface RedisLocksConnection {
  locks: RedisLocks;
  close(): Promise<void>;
}

/**
 * Opens a dedicated ioredis connection for locks and checks it answers. While Redis is
 * unreachable, lock commands wait for reconnection and fail after ioredis's per-request retries (~10 s).
 */
export async function openRedisLocks(url: string, options: RedisLocksOptions): Promise<RedisLocksConnection> {
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, { connectTimeout: IOREDIS_CONNECT_TIMEOUT_MS });
  redis.on('error', (error: unknown) => options.logger?.warn({ err: error }, 'lock connection to Redis failed; reconnecting'));
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Cannot reach Redis for locks at ${redactedUrl(url)}.`, { cause: error });
  }
  return {
    locks: new RedisLocks(redis, options),
    async close() {
      // quit() waits for Redis to answer; a connection that is down is just dropped.
      if (redis.status !== 'ready') {
        redis.disconnect();
        return;
      }
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
