import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import {
  deleteKeysWithPrefix,
  sharedRedisUrl,
  startRedisServer,
  uniquePrefix,
  type PrivateRedis,
} from '../helpers/redis-server.ts';

const servers: PrivateRedis[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function startTracked(options: { appendOnly?: boolean } = {}): Promise<PrivateRedis> {
  const server = await startRedisServer(options);
  servers.push(server);
  return server;
}

/** A client that gives up at once: a server that is not there fails the test instead of hanging it. */
async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('private redis-server', () => {
  test('starts on a loopback port with an append-only file synced on every write', async () => {
    const server = await startTracked();
    assert.equal(server.url, `redis://127.0.0.1:${server.port}`);
    await withClient(server.url, async (client) => {
      assert.equal(await client.ping(), 'PONG');
      assert.deepEqual(await client.config('GET', 'appendonly'), ['appendonly', 'yes']);
      assert.deepEqual(await client.config('GET', 'appendfsync'), ['appendfsync', 'always']);
      assert.deepEqual(await client.config('GET', 'dir'), ['dir', server.dir]);
    });
  });

  test('two servers started together get different ports and do not share keys', async () => {
    const [first, second] = await Promise.all([startTracked(), startTracked()]);
    assert.notEqual(first.port, second.port);
    await withClient(first.url, (client) => client.set('only-here', '1'));
    assert.equal(await withClient(second.url, (client) => client.get('only-here')), null);
  });

  test('a key written before restart() is still there after a clean shutdown and after a kill', async () => {
    const server = await startTracked();
    await withClient(server.url, (client) => client.set('job:1', 'queued'));
    await server.restart();
    assert.equal(await withClient(server.url, (client) => client.get('job:1')), 'queued');

    await withClient(server.url, (client) => client.rpush('jobs', 'a', 'b'));
    await server.restart({ kill: true });
    assert.deepEqual(await withClient(server.url, (client) => client.lrange('jobs', 0, -1)), ['a', 'b']);
  });

  test('without the append-only file a restart loses every key', async () => {
    const server = await startTracked({ appendOnly: false });
    await withClient(server.url, (client) => client.set('job:1', 'queued'));
    await server.restart();
    assert.equal(await withClient(server.url, (client) => client.get('job:1')), null);
  });

  test('a client that retries reconnects after restart and runs the command sent while the server was down', async () => {
    const server = await startTracked();
    const client = new Redis(server.url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    const connectionErrors: Error[] = [];
    client.on('error', (error: Error) => connectionErrors.push(error));
    let reconnects = 0;
    client.on('reconnecting', () => (reconnects += 1));
    try {
      await client.set('job:1', 'queued');
      const restarted = server.restart({ downMs: 400 });
      while (client.status === 'ready') await sleep(10);
      const sentWhileDown = client.get('job:1');
      await restarted;
      assert.equal(await sentWhileDown, 'queued');
      assert.ok(reconnects >= 1, 'the client reconnected');
      assert.equal(client.status, 'ready');
    } finally {
      client.disconnect();
    }
  });

  test('stop() frees the port, removes the directory and refuses a later restart', async () => {
    const server = await startRedisServer();
    await server.stop();
    assert.equal(await canListenOn(server.port), true);
    assert.equal(existsSync(server.dir), false);
    await assert.rejects(server.restart(), /was stopped/);
    await server.stop();
  });

  test('a missing redis-server binary is an error that says how to install it', async () => {
    const emptyDir = await mkdtemp(path.join(os.tmpdir(), 'idolens-no-redis-'));
    const savedPath = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      await assert.rejects(startRedisServer(), /apt-get install -y redis-server/);
    } finally {
      process.env.PATH = savedPath;
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('shared Redis keys', () => {
  test('uniquePrefix is a valid key prefix and differs on every call', () => {
    const prefix = uniquePrefix('job queue/α');
    assert.match(prefix, /^t-job_queue_-\d+-[0-9a-f]{8}$/);
    assert.ok(prefix.length <= 40);
    assert.notEqual(uniquePrefix('same'), uniquePrefix('same'));
  });

  test('deleteKeysWithPrefix deletes only the keys under its prefix', async () => {
    const url = sharedRedisUrl();
    const mine = uniquePrefix('mine');
    const other = uniquePrefix('other');
    try {
      await withClient(url, async (client) => {
        await client.mset(`${mine}:a`, '1', `${mine}:b`, '2', `${other}:a`, '3');
        await client.rpush(`${mine}:list`, 'x');
      });
      assert.equal(await deleteKeysWithPrefix(url, mine), 3);
      await withClient(url, async (client) => {
        assert.equal(await client.exists(`${mine}:a`, `${mine}:b`, `${mine}:list`), 0);
        assert.equal(await client.get(`${other}:a`), '3');
      });
    } finally {
      await deleteKeysWithPrefix(url, other);
    }
  });

  test('deleteKeysWithPrefix refuses an empty prefix or a glob pattern', async () => {
    await assert.rejects(deleteKeysWithPrefix(sharedRedisUrl(), ''), /refusing/);
    await assert.rejects(deleteKeysWithPrefix(sharedRedisUrl(), 't-*'), /refusing/);
  });
});
