import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { LockLostError, LockTimeoutError, RedisLocks, type RedisLocksOptions } from '../../core/store/redis-locks.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `idolens-test-locks-${process.pid}-${randomBytes(4).toString('hex')}`;
const connections: Redis[] = [];

/** A connection of its own, as another process would have. */
function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
}

const raw = connect();

function locksOnNewConnection(options: Partial<RedisLocksOptions> = {}): RedisLocks {
  return new RedisLocks(connect(), { prefix, ...options });
}

after(async () => {
  const keys = await raw.keys(`${prefix}:*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.all(connections.map(async (redis) => redis.quit()));
});

test('sections under the same key on two connections never overlap', async () => {
  const first = locksOnNewConnection();
  const second = locksOnNewConnection();
  const events: string[] = [];
  let inside = 0;
  let mostInside = 0;
  const section = (name: string) => async (): Promise<void> => {
    inside += 1;
    mostInside = Math.max(mostInside, inside);
    events.push(`enter ${name}`);
    await sleep(5);
    events.push(`exit ${name}`);
    inside -= 1;
  };

  await Promise.all(Array.from({ length: 8 }, async (_, index) => {
    await Promise.all([first.run('shared', section(`a${index}`)), second.run('shared', section(`b${index}`))]);
  }));

  assert.equal(mostInside, 1);
  assert.equal(events.length, 32);
  for (let index = 0; index < events.length; index += 2) {
    const name = events[index]?.slice('enter '.length);
    assert.equal(events[index], `enter ${name}`);
    assert.equal(events[index + 1], `exit ${name}`);
  }
  assert.equal(await raw.exists(first.redisKey('shared')), 0);
});

test('different keys do not wait for each other', async () => {
  const first = locksOnNewConnection();
  const second = locksOnNewConnection({ maxWaitMs: 300 });
  const result = await first.run('key-one', async () => second.run('key-two', async () => 'both held'));
  assert.equal(result, 'both held');
});

test('a section that throws releases the lock and its error reaches the caller', async () => {
  const first = locksOnNewConnection();
  const second = locksOnNewConnection({ maxWaitMs: 200 });

  await assert.rejects(first.run('throws', async () => { throw new Error('section failed'); }), /section failed/);

  assert.equal(await raw.exists(first.redisKey('throws')), 0);
  assert.equal(await second.run('throws', async () => 'next holder'), 'next holder');
});

test('a holder whose section outlives the ttl keeps the lock by renewing it', async () => {
  const ttlMs = 300;
  const holder = locksOnNewConnection({ ttlMs });
  const waiter = locksOnNewConnection({ ttlMs, maxWaitMs: 5000 });
  let holderDoneAt = 0;
  let waiterStartedAt = 0;
  let ttlSeenInside = -1;

  const holding = holder.run('long', async () => {
    await sleep(4 * ttlMs);
    ttlSeenInside = await raw.pttl(holder.redisKey('long'));
    holderDoneAt = Date.now();
    return 'finished';
  });
  await sleep(50);
  const waiting = waiter.run('long', async () => { waiterStartedAt = Date.now(); });

  assert.equal(await holding, 'finished');
  await waiting;
  assert.ok(ttlSeenInside > 0, `the lock still had a ttl after 4 ttls (pttl ${ttlSeenInside})`);
  assert.ok(waiterStartedAt >= holderDoneAt, 'the waiter ran only after the holder finished');
});

test('a crashed holder blocks the key only until its lease expires', async () => {
  const locks = locksOnNewConnection({ maxWaitMs: 5000 });
  const key = locks.redisKey('crashed');
  const setAt = Date.now();
  await raw.set(key, 'token-of-a-dead-process', 'PX', 600);

  const startedAt = await locks.run('crashed', async () => Date.now());

  assert.ok(startedAt - setAt >= 500, `waited ${startedAt - setAt} ms for the dead holder's lease`);
  assert.ok(startedAt - setAt < 3000, `waited ${startedAt - setAt} ms, far longer than the lease`);
});

test('waiting longer than maxWaitMs fails with a LockTimeoutError naming the key', async () => {
  const locks = locksOnNewConnection({ maxWaitMs: 300 });
  await raw.set(locks.redisKey('busy'), 'someone-else', 'PX', 10_000);
  let ran = false;

  await assert.rejects(locks.run('busy', async () => { ran = true; }), (error: unknown) => {
    assert.ok(error instanceof LockTimeoutError);
    assert.match(error.message, /"busy"/);
    return true;
  });
  assert.equal(ran, false);
  assert.equal(await raw.get(locks.redisKey('busy')), 'someone-else');
});

test('a holder that loses its lock learns it from a LockLostError and does not delete the new holder\'s lock', async () => {
  const ttlMs = 300;
  const locks = locksOnNewConnection({ ttlMs });
  const key = locks.redisKey('stolen');

  const outcome = locks.run('stolen', async () => {
    await raw.set(key, 'new-holder', 'PX', 10_000);
    await sleep(ttlMs);
    return 'result that must not be trusted';
  });

  await assert.rejects(outcome, LockLostError);
  assert.equal(await raw.get(key), 'new-holder');
});
