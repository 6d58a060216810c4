import type { Redis } from 'ioredis';
import type { ServerLimits } from '../../core/config.ts';
import type { JobName } from '../jobs.ts';
import {
  busyError, LIVE_JOB_MAX_AGE_MS, nextAverage, quotaError, TYPICAL_SECONDS, utcDay, waitMinutes, type ServerGate,
} from './limits.ts';

/**
 * KEYS[1] the server's live jobs (sorted set: member "<job>|<id>", score = expiry ms).
 * ARGV: now, expiry, member, max total, max annotate, is annotate (1/0).
 * Returns {admitted (1/0), total, annotate} after pruning expired entries; admits atomically.
 */
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return {1, 0, 0} end
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local annotate = 0
for _, member in ipairs(members) do
  if string.sub(member, 1, 9) == 'annotate|' then annotate = annotate + 1 end
end
local total = #members
if total >= tonumber(ARGV[4]) or (ARGV[6] == '1' and annotate >= tonumber(ARGV[5])) then return {0, total, annotate} end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {1, total, annotate}
`;

/** KEYS[1] the day's clip seconds. ARGV: seconds, limit, ttl seconds. Returns {admitted, used before} as strings. */
const CONSUME = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {'0', tostring(used)} end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'1', tostring(used)}
`;

const DAY_KEY_TTL_SECONDS = 2 * 24 * 60 * 60;

/** The per-server caps shared by every producer and worker through Redis. */
export class RedisServerGate implements ServerGate {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly limits: ServerLimits) {}

  async admit(server: string, job: JobName, jobId: string): Promise<void> {
    const now = Date.now();
    const reply = await this.redis.eval(
      ADMIT, 1, this.liveKey(server),
      now, now + LIVE_JOB_MAX_AGE_MS, `${job}|${jobId}`, this.limits.maxQueuedJobs, this.limits.maxAnnotateJobs, job === 'annotate' ? '1' : '0', LIVE_JOB_MAX_AGE_MS,
    ) as [number, number, number];
    const [admitted, total, annotate] = reply;
    if (admitted === 1) return;
    const averages = await this.averages();
    const minutes = waitMinutes({ total, annotate }, averages.identify, averages.annotate);
    throw busyError({ total, annotate }, this.limits, minutes, job);
  }

  async release(server: string, job: JobName, jobId: string): Promise<void> {
    await this.redis.zrem(this.liveKey(server), `${job}|${jobId}`);
  }

  async recordDuration(job: JobName, seconds: number): Promise<void> {
    const key = `${this.prefix}:durations`;
    const previous = await this.redis.hget(key, job);
    await this.redis.hset(key, job, nextAverage(previous === null ? undefined : Number(previous), seconds).toFixed(3));
  }

  async consume(server: string, seconds: number): Promise<void> {
    const key = `${this.prefix}:clip-seconds:${encodeURIComponent(server)}:${utcDay()}`;
    const [admitted, used] = await this.redis.eval(CONSUME, 1, key, seconds.toFixed(3), this.limits.clipSecondsPerDay, DAY_KEY_TTL_SECONDS) as [string, string];
    if (admitted !== '1') throw quotaError(Number(used), seconds, this.limits);
  }

  async close(): Promise<void> {}

  private liveKey(server: string): string {
    return `${this.prefix}:live:${encodeURIComponent(server)}`;
  }

  private async averages(): Promise<Record<'identify' | 'annotate', number>> {
    const [identify, annotate] = await this.redis.hmget(`${this.prefix}:durations`, 'identify', 'annotate');
    return {
      identify: identify ? Number(identify) : TYPICAL_SECONDS.identify,
      annotate: annotate ? Number(annotate) : TYPICAL_SECONDS.annotate,
    };
  }
}
