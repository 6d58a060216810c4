/**
 * Photos a search found, waiting for an admin's review: nothing joins the member's samples until the set is
 * accepted. Kept in the store beside the groups (so any process can decide it) for a day.
 */
import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { z } from 'zod';
import { IdolensError } from '../errors.ts';
import { decodeNewSample, encodeNewSample } from '../store/codec.ts';
import type { NewSample } from '../store/index.ts';
import { assertServerId } from '../store/index.ts';

export const PENDING_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface PendingItem {
  /** The number on the review contact sheet, from 1. */
  number: number;
  sample: NewSample;
}

export interface PendingSet {
  id: string;
  server: string;
  group: string;
  member: string;
  query: string;
  provider: string;
  createdAt: string;
  items: PendingItem[];
}

const storedSet = z.object({
  id: z.string(), server: z.string(), group: z.string(), member: z.string(), query: z.string(), provider: z.string(), createdAt: z.string(),
  items: z.array(z.object({ number: z.number().int().positive(), sample: z.unknown() })),
});

const ID = /^[0-9a-f]{8}$/;

function key(server: string, id: string): string {
  return `pending:${encodeURIComponent(server)}:${id}`;
}

function encode(set: PendingSet): z.infer<typeof storedSet> {
  return { ...set, items: set.items.map(({ number, sample }) => ({ number, sample: encodeNewSample(sample, `pending ${set.id} #${number}`) })) };
}

function decode(value: unknown, where: string): PendingSet {
  const parsed = storedSet.safeParse(value);
  if (!parsed.success) throw new IdolensError('internal', `Pending set ${where} is damaged.`);
  return { ...parsed.data, items: parsed.data.items.map(({ number, sample }) => ({ number, sample: decodeNewSample(sample, `${where} #${number}`) })) };
}

export class PendingStore {
  constructor(private readonly keyv: Keyv) {}

  async put(set: Omit<PendingSet, 'id' | 'createdAt'>): Promise<PendingSet> {
    assertServerId(set.server);
    const stored: PendingSet = { ...set, id: randomBytes(4).toString('hex'), createdAt: new Date().toISOString() };
    await this.keyv.set(key(set.server, stored.id), encode(stored), PENDING_LIFETIME_MS);
    return stored;
  }

  /** The set, only for the server that made it. */
  async get(server: string, id: string): Promise<PendingSet> {
    if (!ID.test(id)) throw new IdolensError('pending_not_found', undefined, { id: id.slice(0, 40) });
    const value: unknown = await this.keyv.get(key(assertServerId(server), id));
    if (value === undefined) throw new IdolensError('pending_not_found', undefined, { id });
    return decode(value, id);
  }

  /** True when this call removed it (so two admins deciding at once commit it once). */
  async take(server: string, id: string): Promise<boolean> {
    return this.keyv.delete(key(assertServerId(server), id));
  }
}
