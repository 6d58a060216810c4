import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';

export const KEYV_NAMESPACE = 'idolens';
export const DEFAULT_SQLITE_FILE = 'idolens.sqlite';
/** How long a write waits for another process's write to finish before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;
/** Our keys can exceed keyv's default 255 (URI-encoded Hangul names); SQLite ignores it, other SQL stores would not. */
const MAX_KEY_LENGTH = 1024;
const SQLITE_SCHEME = 'sqlite://';
const MEMORY_URL = 'memory:';

export interface OpenKeyvOptions {
  /** `sqlite://<file>` or `memory:`; absent means `${dataDir}/idolens.sqlite`. */
  url?: string | undefined;
  dataDir: string;
}

/** Wraps any keyv storage adapter the way the store expects: our namespace, and errors thrown rather than swallowed. */
export function keyvOver(store: KeyvStoreAdapter | Map<unknown, unknown>): Keyv {
  return new Keyv(store, { namespace: KEYV_NAMESPACE, throwOnErrors: true });
}

export async function openKeyv(options: OpenKeyvOptions): Promise<Keyv> {
  const url = options.url ?? `${SQLITE_SCHEME}${path.join(options.dataDir, DEFAULT_SQLITE_FILE)}`;
  if (url === MEMORY_URL) return keyvOver(new Map<unknown, unknown>());
  if (url.startsWith(SQLITE_SCHEME)) return openSqlite(url.slice(SQLITE_SCHEME.length));
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new Error(`Unsupported storage URL (${scheme}): use ${SQLITE_SCHEME}<file> or ${MEMORY_URL} (Redis support comes later).`);
}

/** Opens (creating if needed) a SQLite file in WAL mode, so another process can read while this one writes. */
export async function openSqlite(file: string): Promise<Keyv> {
  if (file.length === 0) throw new Error(`A ${SQLITE_SCHEME} URL needs a file path, e.g. ${SQLITE_SCHEME}data/idolens.sqlite.`);
  const inMemory = file === ':memory:';
  if (!inMemory) await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const store = new KeyvSqlite({ uri: `${SQLITE_SCHEME}${file}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS, keySize: MAX_KEY_LENGTH });
  // Wrap before the first query: the adapter reports a failed open as an 'error' event, which needs a listener.
  const keyv = keyvOver(store);
  if (!inMemory) await store.query('PRAGMA journal_mode = WAL');
  return keyv;
}

const closed = new WeakSet<Keyv>();

/** Closes the underlying database so the process can exit; closing twice is harmless. */
export async function closeKeyv(keyv: Keyv): Promise<void> {
  if (closed.has(keyv)) return;
  closed.add(keyv);
  await keyv.disconnect();
}
