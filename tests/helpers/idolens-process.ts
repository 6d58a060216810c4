/**
 * idolens as long-running processes (`serve`, `worker`) and one-shot commands with an environment of the
 * test's choosing (its Redis, prefix and outbox). Each long-running process leads its own process group, so
 * that what it spawned (ffmpeg) can be cleaned up after a crash we caused; a forgotten one is killed when the
 * test process exits.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './faces-dir.ts';

const CLI = path.join(repoRoot, 'bin', 'idolens.js');

/** One pino line of a process's stderr. */
export interface LogLine {
  msg?: string;
  [field: string]: unknown;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface IdolensProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  stderr(): string;
  /** The stderr lines that are pino JSON, in order. */
  logs(): LogLine[];
  /** Resolves with the first log line (past or future) that matches; rejects on timeout or exit. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the process and everything left in its group; waits for the process to exit. Safe to call twice. */
  destroy(): Promise<void>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already empty.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid);
  });
}

function parseLogLines(text: string): LogLine[] {
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** `node bin/idolens.js …args` running in the background. */
export function startIdolens(args: readonly string[], env: NodeJS.ProcessEnv): IdolensProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start idolens ${args.join(' ')}`);
  installExitHook();
  liveGroups.add(pid);
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  const process_: IdolensProcess = {
    pid,
    exited,
    stderr: () => stderr,
    logs: () => parseLogLines(stderr),
    waitForLog: (matches, timeoutMs, what) => new Promise((resolve, reject) => {
      const check = (): void => {
        const found = process_.logs().find(matches);
        if (found) finish(() => resolve(found));
        else if (hasExited(child)) finish(() => reject(new Error(`idolens ${args[0] ?? ''} exited before "${what}":\n${stderr}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no "${what}" within ${timeoutMs} ms from idolens ${args[0] ?? ''}:\n${stderr}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    }),
    signal: (signal) => { child.kill(signal); },
    async destroy() {
      if (!hasExited(child)) child.kill('SIGKILL');
      await exited;
      killGroup(pid);
      liveGroups.delete(pid);
    },
  };
  return process_;
}

/** Waits for the process to exit by itself within `timeoutMs`. */
export async function exitWithin(proc: IdolensProcess, timeoutMs: number): Promise<ProcessExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const outcome = await Promise.race([proc.exited, timeout]);
  clearTimeout(timer);
  assert.notEqual(outcome, 'timeout', `idolens did not exit within ${timeoutMs} ms:\n${proc.stderr()}`);
  return outcome as ProcessExit;
}
