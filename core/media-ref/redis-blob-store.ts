import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { writeFileAtomic } from '../atomic-file.ts';
import { assertBlobKey, assertTtlSeconds, newBlobKey } from './blob-key.ts';
import type { BlobStore, PutOptions } from './blob-store.ts';

export interface RedisBlobStoreOptions {
  /** Quit the client on close(); leave it false for a client the caller shares with other parts. */
  ownsClient?: boolean;
}

/**
 * Blobs as Redis strings under `<prefix>:blob:<key>`, expiring with Redis's own TTL (SET … EX), read back as
 * raw bytes. A Redis string holds at most 512 MB, so this suits photos and clips within the default limits.
 */
export class RedisBlobStore implements BlobStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #ownsClient: boolean;

  constructor(client: Redis, prefix: string, options: RedisBlobStoreOptions = {}) {
    if (prefix === '') throw new RangeError('RedisBlobStore needs a key prefix');
    this.#client = client;
    this.#prefix = prefix;
    this.#ownsClient = options.ownsClient === true;
  }

  async put(bytes: Uint8Array, options: PutOptions = {}): Promise<string> {
    assertTtlSeconds(options.ttlSeconds);
    const key = newBlobKey();
    const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (options.ttlSeconds === undefined) await this.#client.set(this.#redisKey(key), value);
    else await this.#client.set(this.#redisKey(key), value, 'EX', options.ttlSeconds);
    return key;
  }

  async putFile(source: string, options: PutOptions = {}): Promise<string> {
    return this.put(await readFile(source), options);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.#client.getBuffer(this.#redisKey(key));
    return value ?? undefined;
  }

  async writeToFile(key: string, target: string): Promise<boolean> {
    const value = await this.get(key);
    if (value === undefined) return false;
    await writeFileAtomic(target, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#redisKey(key));
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.quit();
  }

  #redisKey(key: string): string {
    assertBlobKey(key);
    return `${this.#prefix}:blob:${key}`;
  }
}
