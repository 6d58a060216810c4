// The Redis the tests share: the one IDOLENS_TEST_REDIS_URL names, else a private redis-server of our own on a
// free loopback port (nothing kept on disk), stopped when the tests end.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 10_000;

export const NO_REDIS_MESSAGE =
  'npm test needs Redis: install redis-server (Debian: apt-get install -y redis-server) so the tests can start their own, or set IDOLENS_TEST_REDIS_URL=redis://HOST:PORT to one that runs.';

function hasRedisServer() {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Starts redis-server on a free loopback port and waits until it answers; `stop()` ends it. */
async function startPrivateRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The tests' Redis: `{ url, stop }`. A configured one is used as it is (stop does nothing); otherwise one of our
 * own, when redis-server is installed; otherwise null (the caller prints NO_REDIS_MESSAGE).
 */
export async function testRedis(environment) {
  const configured = environment.IDOLENS_TEST_REDIS_URL;
  if (configured) return { url: configured, private: false, stop: async () => {} };
  if (!hasRedisServer()) return null;
  return { ...(await startPrivateRedis()), private: true };
}
