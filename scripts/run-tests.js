#!/usr/bin/env node
// Runs every tests/**/*.test.ts with node's built-in runner (Node 20 has no glob support in --test), against the
// Redis of scripts/test-redis.js: the configured one, or a private one started here.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NO_REDIS_MESSAGE, testRedis } from './test-redis.js';

function findTests(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('tests').sort();
const redis = await testRedis(process.env);
if (redis === null) {
  console.error(NO_REDIS_MESSAGE);
  process.exit(1);
}
if (redis.private) console.error(`tests: a private redis-server at ${redis.url} (set IDOLENS_TEST_REDIS_URL to use another)`);
const runner = spawn(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit', env: { ...process.env, IDOLENS_TEST_REDIS_URL: redis.url } });
// Ctrl-C reaches the runner through the terminal; the private Redis is stopped once it is done.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => runner.kill(signal));
const status = await new Promise((resolve) => runner.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
await redis.stop();
process.exit(status);
