import { randomBytes } from 'node:crypto';
import { IdolensError } from '../errors.ts';

/** 128 random bits as hex: nothing else is ever a key, so a key can never name a path or another Redis key. */
const BLOB_KEY = /^[0-9a-f]{32}$/;

export function newBlobKey(): string {
  return randomBytes(16).toString('hex');
}

export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && BLOB_KEY.test(key);
}

export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) {
    throw new IdolensError('not_found', 'That upload reference is not one of mine, so I will not read it.', { reason: 'invalid_key' });
  }
}

/** Throws a RangeError for a TTL that is not a whole number of seconds above zero (a bug, not bad input). */
export function assertTtlSeconds(ttlSeconds: number | undefined): void {
  if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds > 0)) {
    throw new RangeError(`ttlSeconds must be a whole number of seconds above 0, got ${ttlSeconds}`);
  }
}
