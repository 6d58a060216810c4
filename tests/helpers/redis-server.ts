/**
 * Redis for tests. `startRedisServer` runs a private `redis-server` (own port, own temp dir, append-only file
 * synced on every write, so a restart keeps every job) that a test may stop, kill and restart at will.
 * Tests that only need some Redis use the shared one (`sharedRedisUrl`) under their own key prefix
 * (`uniquePrefix`) and delete only those keys afterwards (`deleteKeysWithPrefix`).
 * A missing `redis-server` is an error, never a skip: CI must fail loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface PrivateRedisOptions {
  /** Append-only file with `appendfsync always` (default true): every acknowledged write survives a restart. */
  appendOnly?: boolean;
}

export interface RestartOptions {
  /** How long the server stays down before it starts again (default 0). */
  downMs?: number;
  /** SIGKILL (a crash) instead of SIGTERM (a clean shutdown). */
  kill?: boolean;
}

export interface PrivateRedis {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Redis's working directory (the append-only file lives here); removed by `stop`. */
  readonly dir: string;
  /** Stops the server, waits `downMs`, starts it again on the same port and directory, waits until it answers. */
  restart(options?: RestartOptions): Promise<void>;
  /** Kills the server and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 5_000;
const EXIT_TIMEOUT_MS = 5_000;
const PROBE_INTERVAL_MS = 50;
const PORT_ATTEMPTS = 5;
const LOG_TAIL_LINES = 20;
const INSTALL_HINT =
  'redis-server is not installed, and the Redis tests are never skipped. Install it: ' +
  '`apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).';

interface RedisProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** The last lines redis printed (its log goes to stdout, errors to stderr). */
  logTail(): string;
}

class RedisStartError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

/** Servers still running, killed synchronously if the test process exits without stopping them. */
const running = new Set<() => void>();
let exitHookInstalled = false;

export async function startRedisServer(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const appendOnly = options.appendOnly ?? true;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idolens-redis-'));
  try {
    const { port, redis } = await launchOnFreePort(dir, appendOnly);
    return trackServer(port, dir, appendOnly, redis);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function trackServer(port: number, dir: string, appendOnly: boolean, first: RedisProcess): PrivateRedis {
  let current: RedisProcess | undefined = first;
  let stopped = false;
  const killNow = (): void => {
    current?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  installExitHook();
  running.add(killNow);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart({ downMs = 0, kill = false } = {}) {
      if (stopped) throw new Error(`the private Redis on port ${port} was stopped; it cannot restart`);
      if (current !== undefined) await terminate(current, kill ? 'SIGKILL' : 'SIGTERM');
      current = undefined;
      await sleep(downMs);
      current = await launch(port, dir, appendOnly);
    },
    async stop() {
      stopped = true;
      running.delete(killNow);
      if (current !== undefined) await terminate(current, 'SIGKILL');
      current = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const killNow of running) killNow();
  });
}

/** The free port is only known free until we close it: another process may take it before redis binds. */
async function launchOnFreePort(dir: string, appendOnly: boolean): Promise<{ port: number; redis: RedisProcess }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    try {
      return { port, redis: await launch(port, dir, appendOnly) };
    } catch (error) {
      if (!(error instanceof RedisStartError && error.portTaken) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

export async function findFreePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read the port the OS chose');
  return address.port;
}

function redisArguments(port: number, dir: string, appendOnly: boolean): string[] {
  const persistence = appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', ...persistence];
}

async function launch(port: number, dir: string, appendOnly: boolean): Promise<RedisProcess> {
  const redis = await spawnRedis(redisArguments(port, dir, appendOnly));
  try {
    await waitUntilAnswering(port, redis);
    return redis;
  } catch (error) {
    await terminate(redis, 'SIGKILL');
    throw error;
  }
}

async function spawnRedis(args: string[]): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error);
    });
  });
  const lines: string[] = [];
  const keepLines = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - LOG_TAIL_LINES));
  };
  child.stdout?.on('data', keepLines);
  child.stderr?.on('data', keepLines);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A forgotten stop() must not keep the test process alive; the exit hook then kills the server.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as net.Socket | null)?.unref();
  return { child, exited, logTail: () => lines.join('\n') };
}

/** Ready when PING answers and the answering server is this child (not another that took the port first). */
async function waitUntilAnswering(port: number, redis: RedisProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(redis.child)) {
      const tail = redis.logTail();
      throw new RedisStartError(`redis-server on port ${port} exited at start:\n${tail}`, tail.includes('Address already in use'));
    }
    if ((await answeringPid(port)) === redis.child.pid) return;
    await sleep(PROBE_INTERVAL_MS);
  }
  throw new RedisStartError(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${redis.logTail()}`, false);
}

const PROBE_TIMEOUT_MS = 500;

/** PING, then the pid from INFO: undefined while nothing answers, or redis is still loading its data. */
function answeringPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = Buffer.alloc(0);
    const finish = (pid: number | undefined): void => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const parsed = parsePingAndInfo(reply);
      if (parsed !== 'incomplete') finish(parsed);
    });
  });
}

/** `+PONG` then a bulk string (`$<length>` CRLF, the text, CRLF) holding `process_id:<pid>`. */
function parsePingAndInfo(reply: Buffer): number | undefined | 'incomplete' {
  const pingEnd = reply.indexOf('\r\n');
  if (pingEnd < 0) return 'incomplete';
  if (reply.subarray(0, pingEnd).toString('latin1') !== '+PONG') return undefined;
  const headerEnd = reply.indexOf('\r\n', pingEnd + 2);
  if (headerEnd < 0) return 'incomplete';
  const length = Number(reply.subarray(pingEnd + 3, headerEnd).toString('latin1'));
  if (reply[pingEnd + 2] !== 0x24 /* $ */ || !Number.isInteger(length) || length < 0) return undefined;
  if (reply.length < headerEnd + 2 + length) return 'incomplete';
  const info = reply.subarray(headerEnd + 2, headerEnd + 2 + length).toString('utf8');
  const pid = /^process_id:(\d+)\r?$/m.exec(info)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` and waits for the exit; a server that ignores SIGTERM for too long is killed. */
async function terminate(redis: RedisProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (hasExited(redis.child)) return;
  redis.child.kill(signal);
  const stopTimer = new AbortController();
  const timeout = sleep(EXIT_TIMEOUT_MS, 'timeout' as const, { signal: stopTimer.signal }).catch(() => 'cancelled' as const);
  const outcome = await Promise.race([redis.exited, timeout]);
  stopTimer.abort();
  if (outcome !== 'timeout') return;
  redis.child.kill('SIGKILL');
  await redis.exited;
}

/** The Redis that tests share: `IDOLENS_TEST_REDIS_URL`, or 127.0.0.1:6379. */
export function sharedRedisUrl(): string {
  return process.env.IDOLENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * A key prefix no other test run uses: `t-<label>-<pid>-<random>`, letters, digits, - and _ only and at most
 * 40 characters, so it is also a valid IDOLENS_REDIS_PREFIX.
 */
export function uniquePrefix(label: string): string {
  const safeLabel = label.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 16) || 'test';
  return `t-${safeLabel}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key that starts with `prefix` (SCAN + UNLINK; other keys are left alone). Returns how many. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_:-]+$/.test(prefix)) {
    throw new Error(`refusing to delete keys with prefix ${JSON.stringify(prefix)}: use letters, digits, -, _ and : only`);
  }
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {}); // connect() rejects with the same error, with our message below
  try {
    await client.connect().catch((error: unknown) => {
      throw new Error(`no Redis answers at ${url} (start one, or set IDOLENS_TEST_REDIS_URL): ${String(error)}`);
    });
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}
