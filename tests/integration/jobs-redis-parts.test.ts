/**
 * The job system's shared state on a real Redis: the per-server caps and clip quota (RedisServerGate) and the
 * once-only delivery ledger, each seen from several connections as several producers and workers would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { DeliveryReceipt } from '../../workers/delivery/delivery.ts';
import { RedisDeliveryLedger } from '../../workers/delivery/ledger.ts';
import { RedisServerGate } from '../../workers/limits/redis-gate.ts';
import { redisConnection } from '../../workers/service.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from '../helpers/redis-server.ts';
import { refusal } from '../helpers/refusal.ts';
import { GATE_LIMITS, serverGateContract } from '../helpers/server-gate-contract.ts';

const prefix = uniquePrefix('jobs-redis');
const connections: Redis[] = [];
let testNumber = 0;

/** A connection as the job system opens it (waits for Redis rather than failing). */
function connect(): Redis {
  const connection = redisConnection(sharedRedisUrl());
  connections.push(connection);
  return connection;
}

/** Each test its own sub-prefix: nothing one test counts is seen by another. */
function testPrefix(): string {
  testNumber += 1;
  return `${prefix}:${testNumber}`;
}

before(async () => {
  assert.equal(await connect().ping(), 'PONG');
});

after(async () => {
  await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  await deleteKeysWithPrefix(sharedRedisUrl(), prefix);
});

describe('RedisServerGate', () => {
  serverGateContract(() => new RedisServerGate(connect(), testPrefix(), GATE_LIMITS));
});

describe('RedisServerGate shared by two producers', () => {
  test('a second producer on its own connection sees the first one\'s jobs, and its releases count', async () => {
    const shared = testPrefix();
    const first = new RedisServerGate(connect(), shared, GATE_LIMITS);
    const second = new RedisServerGate(connect(), shared, GATE_LIMITS);
    await first.admit('s', 'identify', 'j1');
    await first.admit('s', 'annotate', 'clip1');
    await second.admit('s', 'identify', 'j1');
    await second.admit('s', 'group', 'j2');
    assert.match((await refusal(second.admit('s', 'identify', 'j3'))).message, /3 requests waiting/);
    assert.match((await refusal(first.admit('s', 'annotate', 'clip2'))).message, /1 clip being labelled/);
    await second.release('s', 'annotate', 'clip1');
    await first.admit('s', 'annotate', 'clip2');
  });

  test('the clip quota is one count per server for every producer', async () => {
    const shared = testPrefix();
    const first = new RedisServerGate(connect(), shared, GATE_LIMITS);
    const second = new RedisServerGate(connect(), shared, GATE_LIMITS);
    await first.consume('s', 400);
    assert.equal((await refusal(second.consume('s', 201))).details.usedSeconds, 400);
    await second.consume('s', 200);
  });

  test('the busy estimate uses the durations any worker recorded', async () => {
    const shared = testPrefix();
    const worker = new RedisServerGate(connect(), shared, GATE_LIMITS);
    const producer = new RedisServerGate(connect(), shared, GATE_LIMITS);
    for (const id of ['j1', 'j2', 'j3']) await producer.admit('s', 'identify', id);
    assert.equal((await refusal(producer.admit('s', 'identify', 'j4'))).details.minutes, 1);
    await worker.recordDuration('identify', 600);
    const error = await refusal(producer.admit('s', 'identify', 'j4'));
    assert.equal(error.details.minutes, 30);
    assert.match(error.message, /try again in 30 minutes\.$/);
    await worker.recordDuration('annotate', 240);
    await producer.release('s', 'identify', 'j3');
    await producer.admit('s', 'annotate', 'clip1');
    assert.equal((await refusal(producer.admit('s', 'identify', 'j4'))).details.minutes, 24);
  });
});

describe('RedisDeliveryLedger', () => {
  test('concurrent once() for one request on two connections: one delivery, the same receipt for both', async () => {
    const shared = testPrefix();
    const ledgers = [new RedisDeliveryLedger(connect(), shared), new RedisDeliveryLedger(connect(), shared)];
    let deliveries = 0;
    const deliver = async (): Promise<DeliveryReceipt> => {
      deliveries += 1;
      await sleep(400);
      return { message: `m${deliveries}`, files: { 'a.jpg': 'blob-1' } };
    };
    const receipts = await Promise.all([...ledgers, ...ledgers].map((ledger) => ledger.once('request-1', deliver)));
    assert.equal(deliveries, 1);
    for (const receipt of receipts) assert.deepEqual(receipt, { message: 'm1', files: { 'a.jpg': 'blob-1' } });
    assert.deepEqual(await ledgers[1]?.once('request-1', deliver), { message: 'm1', files: { 'a.jpg': 'blob-1' } });
    assert.equal(deliveries, 1);
  });

  test('a throwing delivery releases the claim, so a later once() delivers', async () => {
    const shared = testPrefix();
    const first = new RedisDeliveryLedger(connect(), shared);
    const second = new RedisDeliveryLedger(connect(), shared);
    await assert.rejects(first.once('request-2', async () => { throw new Error('platform down'); }), /platform down/);
    assert.deepEqual(await second.once('request-2', async () => ({ message: 'sent' })), { message: 'sent' });
    assert.deepEqual(await first.once('request-2', async () => ({ message: 'again' })), { message: 'sent' });
  });

  test('a caller waiting on a claim whose delivery fails delivers itself', async () => {
    const shared = testPrefix();
    const first = new RedisDeliveryLedger(connect(), shared);
    const second = new RedisDeliveryLedger(connect(), shared);
    const failing = first.once('request-3', async () => {
      await sleep(300);
      throw new Error('platform down');
    });
    await sleep(50);
    const waiting = second.once('request-3', async () => ({ message: 'sent by the second' }));
    await assert.rejects(failing, /platform down/);
    assert.deepEqual(await waiting, { message: 'sent by the second' });
  });

  test('a claim set by this ledger and resent after a lost reply is still its own', async () => {
    const shared = testPrefix();
    const connection = connect();
    const ledger = new RedisDeliveryLedger(connection, shared);
    // Every SET is applied twice, as when ioredis resends a command whose reply was lost with the connection.
    const setOnce = connection.set.bind(connection) as (...args: unknown[]) => Promise<string | null>;
    const resending = new Proxy(connection, {
      get(target, property, receiver) {
        if (property !== 'set') return Reflect.get(target, property, receiver) as unknown;
        return async (...args: unknown[]) => {
          await setOnce(...args);
          return setOnce(...args);
        };
      },
    });
    const resent = new RedisDeliveryLedger(resending, shared);
    const receipt = await Promise.race([
      resent.once('request-4', async () => ({ message: 'sent' })),
      sleep(5_000, undefined, { ref: false }).then(() => ({ message: 'timed out waiting for its own claim' })),
    ]);
    assert.deepEqual(receipt, { message: 'sent' });
    assert.deepEqual(await ledger.once('request-4', async () => ({ message: 'again' })), { message: 'sent' });
  });
});
