import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';

export const KEYV_NAMESPACE = 'idolens';
export const DEFAULT_SQLITE_FILE = 'idolens.sqlite';
/** How long Redis may stay unreachable (at start or later) before store operations fail instead of waiting. */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 10_000;
/** How long a write waits for another process's write to finish before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;
/** Our keys can exceed keyv's default 255 (URI-encoded Hangul names); SQLite ignores it, other SQL stores would not. */
const MAX_KEY_LENGTH = 1024;
const SQLITE_SCHEME = 'sqlite://';
const MEMORY_URL = 'memory:';
const REDIS_URL = /^rediss?:\/\//i;
const MAX_SOCKET_CONNECT_MS = 5000;
const MAX_RECONNECT_DELAY_MS = 1000;
const CLOSE_GRACE_MS = 2000;

export interface OpenKeyvOptions {
  /** `sqlite://<file>`, `redis://…`, `rediss://…` or `memory:`; absent means `${dataDir}/idolens.sqlite`. */
  url?: string | undefined;
  dataDir: string;
  /** Prefix of every key, so stores sharing one database or one Redis stay apart; default KEYV_NAMESPACE. */
  namespace?: string | undefined;
  /** Redis only: see DEFAULT_REDIS_CONNECT_TIMEOUT_MS. */
  redisConnectTimeoutMs?: number | undefined;
}

/** Wraps any keyv storage adapter the way the store expects: our namespace, and errors thrown rather than swallowed. */
export function keyvOver(store: KeyvStoreAdapter | Map<unknown, unknown>, namespace = KEYV_NAMESPACE): Keyv {
  return new Keyv(store, { namespace, throwOnErrors: true });
}

export function isRedisUrl(url: string): boolean {
  return REDIS_URL.test(url);
}

export async function openKeyv(options: OpenKeyvOptions): Promise<Keyv> {
  const url = options.url ?? `${SQLITE_SCHEME}${path.join(options.dataDir, DEFAULT_SQLITE_FILE)}`;
  const namespace = options.namespace ?? KEYV_NAMESPACE;
  if (url === MEMORY_URL) return keyvOver(new Map<unknown, unknown>(), namespace);
  if (url.startsWith(SQLITE_SCHEME)) return openSqlite(url.slice(SQLITE_SCHEME.length), namespace);
  if (isRedisUrl(url)) return openRedis(url, namespace, options.redisConnectTimeoutMs ?? DEFAULT_REDIS_CONNECT_TIMEOUT_MS);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new Error(`Unsupported storage URL (${scheme}): use ${SQLITE_SCHEME}<file>, redis://<host>:<port>, rediss://… or ${MEMORY_URL}.`);
}

/** Opens (creating if needed) a SQLite file in WAL mode, so another process can read while this one writes. */
export async function openSqlite(file: string, namespace = KEYV_NAMESPACE): Promise<Keyv> {
  if (file.length === 0) throw new Error(`A ${SQLITE_SCHEME} URL needs a file path, e.g. ${SQLITE_SCHEME}data/idolens.sqlite.`);
  const inMemory = file === ':memory:';
  if (!inMemory) await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const store = new KeyvSqlite({ uri: `${SQLITE_SCHEME}${file}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS, keySize: MAX_KEY_LENGTH });
  // Wrap before the first query: the adapter reports a failed open as an 'error' event, which needs a listener.
  const keyv = keyvOver(store, namespace);
  if (!inMemory) await store.query('PRAGMA journal_mode = WAL');
  return keyv;
}

/**
 * Connects before returning, so a wrong URL or a Redis that is down fails at start-up. Keys are
 * `<namespace>:<key>`. Values are the codec's plain JSON (binary data already base64), stored as strings.
 */
export async function openRedis(url: string, namespace: string, unreachableAfterMs = DEFAULT_REDIS_CONNECT_TIMEOUT_MS): Promise<Keyv> {
  // Loaded only when a Redis store is asked for: most commands never need it, and it costs a fifth of a second.
  const { default: KeyvRedisAdapter, createClient } = await import('@keyv/redis');
  const reconnect = boundedReconnect(unreachableAfterMs);
  const client = createClient({
    url,
    socket: { connectTimeout: Math.min(unreachableAfterMs, MAX_SOCKET_CONNECT_MS), reconnectStrategy: reconnect.strategy },
  });
  client.on('ready', reconnect.reset);
  // The adapter prefixes keys itself; keyv must not prefix them a second time.
  const adapter = new KeyvRedisAdapter(client, { namespace, keyPrefixSeparator: ':', throwOnErrors: true });
  const keyv = new Keyv(adapter, { namespace, useKeyPrefix: false, throwOnErrors: true });
  redisAdapters.set(keyv, adapter);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach Redis at ${redactedUrl(url)} (gave up after ${unreachableAfterMs} ms).`, { cause: error });
  }
  return keyv;
}

/**
 * While Redis is unreachable, commands wait in the client's queue and it reconnects with backoff;
 * after `budgetMs` without a connection the client gives up, so the waiting commands fail instead
 * of hanging. The next command connects again (the adapter reconnects a closed client on use).
 */
function boundedReconnect(budgetMs: number): { strategy: (retries: number, cause: Error) => number | Error; reset: () => void } {
  let failingSince: number | undefined;
  return {
    strategy(retries, cause) {
      failingSince ??= Date.now();
      if (Date.now() - failingSince >= budgetMs) {
        failingSince = undefined;
        return new Error(`Redis unreachable for ${budgetMs} ms: ${cause.message}`);
      }
      return Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) * (0.75 + Math.random() / 2);
    },
    reset() {
      failingSince = undefined;
    },
  };
}

/** The URL without credentials, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

const closed = new WeakSet<Keyv>();

/** The Redis adapter behind each Redis-backed keyv, so that closing it can be bounded. */
const redisAdapters = new WeakMap<Keyv, KeyvRedis<unknown>>();

/** Closes the underlying database or connection so the process can exit; closing twice is harmless. */
export async function closeKeyv(keyv: Keyv): Promise<void> {
  if (closed.has(keyv)) return;
  closed.add(keyv);
  const redis = redisAdapters.get(keyv);
  if (redis) await closeRedis(redis);
  else await keyv.disconnect();
}

/** Lets queued commands finish, but not for long: a Redis that went away must not keep the process alive. */
async function closeRedis(adapter: KeyvRedis<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS); });
  try {
    const graceful = adapter.disconnect(false).then(() => 'closed' as const, () => 'failed' as const);
    const outcome = await Promise.race([graceful, gaveUp]);
    if (outcome !== 'closed') await adapter.disconnect(true);
  } finally {
    clearTimeout(timer);
  }
}
