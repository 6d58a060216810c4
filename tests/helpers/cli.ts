/** The CLI as a user runs it: a real process, stdout and stderr captured separately. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { z } from 'zod';
import { repoRoot } from './faces-dir.ts';
import { testEnvironment } from './runtime.ts';

export const CLI = path.join(repoRoot, 'bin', 'idolens.js');
const SPAWN_TIMEOUT_MS = 120_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(dataDir: string, server: string, ...args: string[]): Promise<CliRun> {
  // Logs stay at their default level: they must go to stderr and never mix into stdout.
  return runCliWithEnvironment(testEnvironment(), ['--data', dataDir, '--server', server, ...args]);
}

/** One `idolens` command with exactly this environment, stdout and stderr captured. */
export async function runCliWithEnvironment(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot, env, timeout: SPAWN_TIMEOUT_MS });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}

/** Every stdout line, each of which must be one JSON value matching `schema`. */
export function jsonLines<T>(run: CliRun, schema: z.ZodType<T>): T[] {
  const lines = run.stdout.split('\n').filter((line) => line.length > 0);
  return lines.map((line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      assert.fail(`stdout line is not JSON: ${line}\nstderr: ${run.stderr}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) assert.fail(`unexpected JSON line ${line}: ${parsed.error.message}`);
    return parsed.data;
  });
}

export function assertExit(run: CliRun, code: number): void {
  assert.equal(run.code, code, `exit ${run.code}, expected ${code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
}
