import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { copyFileAtomic, writeFileAtomic } from '../atomic-file.ts';
import { assertBlobKey, assertTtlSeconds, isBlobKey, newBlobKey } from './blob-key.ts';
import type { BlobStore, PutOptions } from './blob-store.ts';

const DATA_SUFFIX = '.bin';
const EXPIRY_SUFFIX = '.expires';
/** A temporary file this old was left by a write that crashed. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * Blobs as files in one folder: `<key>.bin`, and `<key>.expires` (the expiry time in epoch milliseconds)
 * for blobs with a TTL. Every file is written beside its place and renamed into it, and the expiry before
 * the data, so a blob is never visible half-written or without its expiry. Expired blobs read as absent;
 * `sweep()` deletes them.
 */
export class FileBlobStore implements BlobStore {
  readonly #directory: string;

  constructor(directory: string) {
    this.#directory = path.resolve(directory);
  }

  async put(bytes: Uint8Array, options: PutOptions = {}): Promise<string> {
    const key = await this.#prepare(options);
    await writeFileAtomic(this.#dataPath(key), bytes);
    return key;
  }

  async putFile(source: string, options: PutOptions = {}): Promise<string> {
    const key = await this.#prepare(options);
    await copyFileAtomic(source, this.#dataPath(key));
    return key;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    if (!(await this.#isLive(key))) return undefined;
    return readFile(this.#dataPath(key)).catch(absentWhenMissing);
  }

  async writeToFile(key: string, target: string): Promise<boolean> {
    if (!(await this.#isLive(key))) return false;
    const copied = await copyFileAtomic(this.#dataPath(key), target).then(() => true as const, absentWhenMissing);
    return copied === true;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await rm(this.#dataPath(key), { force: true });
    await rm(this.#expiryPath(key), { force: true });
  }

  /** Deletes expired blobs and temporary files left by crashed writes; returns how many blobs it deleted. */
  async sweep(): Promise<number> {
    const names = await readdir(this.#directory).catch(absentWhenMissing);
    let deleted = 0;
    for (const name of names ?? []) {
      const key = name.endsWith(EXPIRY_SUFFIX) ? name.slice(0, -EXPIRY_SUFFIX.length) : undefined;
      if (isBlobKey(key) && (await this.#expiresAt(key)) <= Date.now()) {
        await this.delete(key);
        deleted += 1;
      } else if (name.endsWith('.part')) {
        await this.#removeIfStale(path.join(this.#directory, name));
      }
    }
    return deleted;
  }

  async close(): Promise<void> {}

  async #prepare(options: PutOptions): Promise<string> {
    assertTtlSeconds(options.ttlSeconds);
    await mkdir(this.#directory, { recursive: true, mode: 0o700 });
    const key = newBlobKey();
    if (options.ttlSeconds !== undefined) {
      await writeFileAtomic(this.#expiryPath(key), String(Date.now() + options.ttlSeconds * 1000));
    }
    return key;
  }

  async #isLive(key: string): Promise<boolean> {
    assertBlobKey(key);
    return (await this.#expiresAt(key)) > Date.now();
  }

  /** Epoch milliseconds; Infinity for a blob without a TTL. An unreadable expiry counts as expired. */
  async #expiresAt(key: string): Promise<number> {
    const text = await readFile(this.#expiryPath(key), 'utf8').catch(absentWhenMissing);
    if (text === undefined) return Number.POSITIVE_INFINITY;
    const expiresAt = Number(text);
    return Number.isFinite(expiresAt) ? expiresAt : 0;
  }

  async #removeIfStale(file: string): Promise<void> {
    const info = await stat(file).catch(absentWhenMissing);
    if (info !== undefined && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await rm(file, { force: true });
  }

  #dataPath(key: string): string {
    return path.join(this.#directory, `${key}${DATA_SUFFIX}`);
  }

  #expiryPath(key: string): string {
    return path.join(this.#directory, `${key}${EXPIRY_SUFFIX}`);
  }
}

function absentWhenMissing(error: unknown): undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return undefined;
  throw error;
}
