/**
 * `npm test`'s runner and Redis: with none configured it starts a private redis-server (and stops it), and where
 * redis-server is missing too it says so in one line within seconds instead of hanging on connection errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { repoRoot } from '../helpers/faces-dir.ts';


function runTests(env: NodeJS.ProcessEnv, ...files: string[]): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/run-tests.js', ...files], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

function withoutTestRedis(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.IDOLENS_TEST_REDIS_URL;
  return env;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

test('with no Redis configured, the test runner starts a private redis-server and stops it afterwards', async () => {
  const run = await runTests(withoutTestRedis(), 'tests/unit/format.test.ts');
  assert.equal(run.code, 0, run.stderr);
  const match = /a private redis-server at redis:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr);
  assert.ok(match, run.stderr);
  assert.equal(await answers(Number(match[1])), false, 'the private Redis is gone once the tests end');
});

test('with no Redis configured and no redis-server, the test runner fails within seconds with one line saying how to get one', async () => {
  const emptyPath = await mkdtemp(path.join(tmpdir(), 'idolens-no-redis-'));
  try {
    const run = await runTests(withoutTestRedis({ PATH: emptyPath }), 'tests/unit/format.test.ts');
    assert.equal(run.code, 1);
    assert.ok(run.seconds < 10, `took ${run.seconds.toFixed(1)} s`);
    assert.deepEqual(run.stderr.trim().split('\n'), [run.stderr.trim()]);
    assert.match(run.stderr, /needs Redis: install redis-server .* or set IDOLENS_TEST_REDIS_URL/);
  } finally {
    await rm(emptyPath, { recursive: true, force: true });
  }
});
