/**
 * Work folders in the system temp directory that name their owner (host, process id and start time), and the sweep
 * that removes those a killed process left behind without ever touching a live process's folder. Process ids are
 * only compared on the host (container) that made the folder: another one's are not ours to judge by pid.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from './logger.ts';

/**
 * `idolens-<kind>-<host>-<pid>-<start>-XXXXXX`: host is a digest of the host name, start the process's start in clock
 * ticks since boot (/proc), `na` where there is no /proc.
 */
const OWNED_NAME = /^idolens-.+-([0-9a-f]{8})-(\d+)-(\d+|na)-[A-Za-z0-9]{6}$/;
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
/** Work folders made before they named their owner (or made on another host), judged by their age alone. */
const UNOWNED_PREFIXES = ['idolens-job-', 'idolens-clip-'];
/** No job runs this long, so an unowned folder this old is nobody's. */
const UNOWNED_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const TEMP_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

interface ProcStat {
  state: string;
  startTicks: string;
}

/** Fields 3 (state) and 22 (start time) of /proc/<pid>/stat; field 2, the name, is in parentheses and may hold spaces. */
async function readProcStat(pid: number | 'self'): Promise<ProcStat> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19];
  if (state === undefined || startTicks === undefined || !/^\d+$/.test(startTicks)) throw new Error(`unreadable /proc/${pid}/stat`);
  return { state, startTicks };
}

let ownTag: Promise<string> | undefined;

/** This process as folder names record it: `<host>-<pid>-<start>`. */
function ownerTag(): Promise<string> {
  ownTag ??= readProcStat('self').then(({ startTicks }) => `${HOST_TAG}-${process.pid}-${startTicks}`, () => `${HOST_TAG}-${process.pid}-na`);
  return ownTag;
}

/** A fresh folder under the system temp directory, `idolens-<kind>-…`, that names this process as its owner. */
export async function makeOwnedTempDir(kind: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `idolens-${kind}-${await ownerTag()}-`));
}

/** Gone when no process has that id, or the one that has it started at another time (the id was reused) or is a zombie. */
async function ownerIsGone(pid: number, startTicks: string): Promise<boolean> {
  if (startTicks !== 'na') {
    try {
      const stat = await readProcStat(pid);
      return stat.startTicks !== startTicks || stat.state === 'Z' || stat.state === 'X';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ESRCH') && (await procIsMounted())) return true;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function procIsMounted(): Promise<boolean> {
  return readProcStat('self').then(() => true, () => false);
}

type SweepReason = 'owner gone' | 'unowned and old';

async function sweepReason(folder: string, name: string, now: number): Promise<SweepReason | undefined> {
  const owned = OWNED_NAME.exec(name);
  if (owned !== null && owned[1] === HOST_TAG) return (await ownerIsGone(Number(owned[2]), owned[3] ?? 'na')) ? 'owner gone' : undefined;
  if (owned === null && !UNOWNED_PREFIXES.some((prefix) => name.startsWith(prefix))) return undefined;
  const { mtimeMs } = await lstat(folder);
  return now - mtimeMs > UNOWNED_MAX_AGE_MS ? 'unowned and old' : undefined;
}

/** Removes the work folders whose owner is gone, and unowned ones older than a day; returns the folders removed. */
export async function sweepAbandonedTempDirs(logger: Logger): Promise<string[]> {
  const root = os.tmpdir();
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('idolens-')) continue;
    const folder = path.join(root, entry.name);
    try {
      if (uid !== undefined && (await lstat(folder)).uid !== uid) continue;
      const reason = await sweepReason(folder, entry.name, Date.now());
      if (reason === undefined) continue;
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
      logger.info({ folder, reason }, 'removed a work folder a dead process left');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ err: error, folder }, 'could not sweep a work folder');
    }
  }
  return removed;
}

export interface TempDirSweeper {
  stop(): void;
}

/** Sweeps now, then every `intervalMs` until stopped; the timer does not keep the process alive. */
export async function startTempDirSweeper(logger: Logger, intervalMs = TEMP_SWEEP_INTERVAL_MS): Promise<TempDirSweeper> {
  let sweeping = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) return;
    sweeping = true;
    try {
      await sweepAbandonedTempDirs(logger);
    } catch (error) {
      logger.warn({ err: error }, 'could not sweep the temp directory');
    } finally {
      sweeping = false;
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
