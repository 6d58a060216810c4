/**
 * Delivery happens once per request, however often its job runs (at-least-once queues run a job again after a
 * crash or a lost lock): the first run to claim the request delivers and records its receipt; later runs get
 * that receipt back. A claim whose delivery failed is dropped, so a retry can deliver.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { DeliveryReceipt } from './delivery.ts';

export interface DeliveryLedger {
  once(requestId: string, deliver: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt>;
}

/** A claim is `pending:<token>`: its owner knows its own claim again after a resent SET (see `once`). */
const PENDING = 'pending:';
/** A claim outlives a delivery that hangs, then expires so that another run may try. */
const CLAIM_TTL_MS = 10 * 60 * 1000;
const RECEIPT_TTL_SECONDS = 7 * 24 * 60 * 60;
const POLL_MS = 250;

export class MemoryDeliveryLedger implements DeliveryLedger {
  private readonly entries = new Map<string, Promise<DeliveryReceipt>>();

  async once(requestId: string, deliver: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt> {
    const existing = this.entries.get(requestId);
    if (existing) return existing;
    const delivering = deliver();
    this.entries.set(requestId, delivering);
    delivering.catch(() => this.entries.delete(requestId));
    return delivering;
  }
}

export class RedisDeliveryLedger implements DeliveryLedger {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async once(requestId: string, deliver: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt> {
    const key = `${this.prefix}:delivered:${requestId}`;
    const claim = `${PENDING}${randomBytes(12).toString('hex')}`;
    for (;;) {
      const claimed = await this.redis.set(key, claim, 'PX', CLAIM_TTL_MS, 'NX');
      if (claimed === 'OK') return this.deliverClaimed(key, deliver);
      const value = await this.redis.get(key);
      // Our own claim: the SET was applied but its reply lost with the connection, and the client sent it again.
      if (value === claim) return this.deliverClaimed(key, deliver);
      if (value !== null && !value.startsWith(PENDING)) return JSON.parse(value) as DeliveryReceipt;
      await sleep(POLL_MS);
    }
  }

  private async deliverClaimed(key: string, deliver: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt> {
    let receipt: DeliveryReceipt;
    try {
      receipt = await deliver();
    } catch (error) {
      await this.redis.del(key);
      throw error;
    }
    await this.redis.set(key, JSON.stringify(receipt), 'EX', RECEIPT_TTL_SECONDS);
    return receipt;
  }
}
