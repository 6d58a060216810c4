/**
 * Work folders a killed process left in the temp directory are removed when a worker starts (openJobSystem, as
 * `idolens worker` and `idolens serve` open it, on the shared Redis) and periodically after, while a live
 * process's folder, and anything that is not an old work folder, is left alone.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../core/config.ts';
import { openRuntime } from '../../core/runtime.ts';
import { makeOwnedTempDir, startTempDirSweeper } from '../../core/temp-dirs.ts';
import { openJobSystem } from '../../workers/service.ts';
import { RecordingDelivery } from '../helpers/recording-delivery.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from '../helpers/redis-server.ts';
import { testEnvironment } from '../helpers/runtime.ts';

const TEMP_DIRS_MODULE = path.resolve(import.meta.dirname, '../../core/temp-dirs.ts');
/** A job process: makes its work folder, puts a file in it, says where, and works until killed. */
const JOB_PROCESS = `
const { makeOwnedTempDir } = await import(process.argv[1]);
const { writeFile } = await import('node:fs/promises');
const folder = await makeOwnedTempDir('job-annotate');
await writeFile(folder + '/input.mp4', 'clip');
process.stdout.write(folder + '\\n');
setInterval(() => {}, 60_000);
`;
const DAY_AND_AN_HOUR_MS = 25 * 60 * 60 * 1000;
const PREFIX = uniquePrefix('temp-sweep');

let tempRoot = '';
let dataDir = '';
const originalTmpdir = process.env.TMPDIR;
const liveChildren: ChildProcess[] = [];

/** Starts a job process in this test's temp directory; resolves to it and its work folder once it exists. */
async function startJobProcess(): Promise<{ child: ChildProcess; folder: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', JOB_PROCESS, TEMP_DIRS_MODULE], {
    env: { ...process.env, TMPDIR: tempRoot }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  liveChildren.push(child);
  const folder = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the job process exited (${code}) before making its folder`)));
  });
  return { child, folder };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A folder as an earlier version made it (no owner in its name), last touched `ageMs` ago. */
async function unownedFolder(name: string, ageMs: number): Promise<string> {
  const folder = path.join(tempRoot, name);
  await mkdir(folder);
  await writeFile(path.join(folder, 'frame.png'), 'x');
  const then = new Date(Date.now() - ageMs);
  await utimes(folder, then, then);
  return folder;
}

function collectingLogger(lines: string[]) {
  return pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } }));
}

before(async () => {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), 'temp-sweep-root-'));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'temp-sweep-data-'));
  process.env.TMPDIR = tempRoot;
});

after(async () => {
  for (const child of liveChildren) await killHard(child);
  if (originalTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = originalTmpdir;
  await deleteKeysWithPrefix(sharedRedisUrl(), PREFIX);
  await rm(tempRoot, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** The host part of an owned folder's name, as core/temp-dirs.ts makes it. */
function hostTag(): string {
  return createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
}

describe('sweeping the work folders of dead processes', () => {
  test('a starting worker removes a killed job\'s folder and old unowned ones, keeping live and fresh ones', async () => {
    const dead = await startJobProcess();
    const live = await startJobProcess();
    await killHard(dead.child);
    const ownFolder = await makeOwnedTempDir('job-identify');
    const oldUnowned = await unownedFolder('idolens-job-enroll-Ab12Cd', DAY_AND_AN_HOUR_MS);
    const freshUnowned = await unownedFolder('idolens-clip-Ef34Gh', 60_000);
    const oldOther = await unownedFolder('idolens-media-ref-Ij56Kl', DAY_AND_AN_HOUR_MS);
    const reusedPid = process.platform === 'linux' ? await unownedFolder(`idolens-job-annotate-${hostTag()}-${process.pid}-1-Mn78Op`, 0) : undefined;

    const lines: string[] = [];
    const logger = collectingLogger(lines);
    const env = testEnvironment({ REDIS_URL: sharedRedisUrl(), IDOLENS_REDIS_PREFIX: PREFIX, TMPDIR: tempRoot });
    const config = loadConfig(env, { dataDir: path.join(dataDir, 'data') });
    const runtime = await openRuntime(config, logger);
    const system = await openJobSystem(config, runtime, logger, { runWorkers: true, delivery: new RecordingDelivery() });
    try {
      assert.equal(existsSync(dead.folder), false, 'the killed job\'s folder is removed');
      assert.equal(existsSync(oldUnowned), false, 'an unowned folder older than a day is removed');
      if (reusedPid !== undefined) assert.equal(existsSync(reusedPid), false, 'a folder whose pid now belongs to a later process is removed');
      assert.deepEqual(await readdir(live.folder), ['input.mp4'], 'the live job\'s folder is untouched');
      assert.ok(existsSync(ownFolder), 'the starting worker\'s own folder is kept');
      assert.ok(existsSync(freshUnowned), 'a fresh unowned folder is kept');
      assert.ok(existsSync(oldOther), 'a folder that is not a work folder is kept, however old');
      const removals = lines.filter((line) => line.includes('removed a work folder a dead process left')).map((line) => JSON.parse(line) as { folder: string; reason: string; component: string });
      assert.deepEqual(removals.filter((entry) => entry.folder === dead.folder).map((entry) => [entry.reason, entry.component]), [['owner gone', 'temp-sweep']]);
      assert.deepEqual(removals.filter((entry) => entry.folder === oldUnowned).map((entry) => entry.reason), ['unowned and old']);
    } finally {
      await system.close(1_000);
      await runtime.close();
      await rm(ownFolder, { recursive: true, force: true });
    }
  });

  test('the periodic sweep removes a folder once its owner is killed, and stops when asked', async () => {
    const job = await startJobProcess();
    const sweeper = await startTempDirSweeper(pino({ level: 'silent' }), 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(existsSync(job.folder), 'kept while its owner runs');
      await killHard(job.child);
      const deadline = Date.now() + 5_000;
      while (existsSync(job.folder) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(existsSync(job.folder), false, 'removed by a later sweep');
    } finally {
      sweeper.stop();
    }
  });
});
