/**
 * One real runtime (real face models, real SQLite) per test file, in a throw-away data directory.
 * Open it in `before` and close it in `after`: starting the models costs seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime } from '../../core/runtime.ts';

/** Two workers: this is what CI's two cores can run without oversubscription. */
export const TEST_WORKERS = '2';

/**
 * The environment for a runtime or CLI under test: two workers, and never a store or data directory of the
 * machine's own (the tests pass their temp directory instead).
 */
export function testEnvironment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.IDOLENS_STORE_URL;
  delete inherited.IDOLENS_DATA;
  return { ...inherited, IDOLENS_WORKERS: TEST_WORKERS, ...overrides };
}

export interface TestRuntime {
  context: CoreContext;
  /** Scratch space for generated fixtures; removed by `close`. */
  tempDir: string;
  close(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `idolens-${prefix}-`));
}

export async function openTestRuntime(prefix: string): Promise<TestRuntime> {
  const tempDir = await makeTempDir(prefix);
  // Quiet unless IDOLENS_LOG_LEVEL asks for the pipeline's logs.
  const environment = testEnvironment({ IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn' });
  const config = loadConfig(environment, { dataDir: path.join(tempDir, 'data') });
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  return {
    context: runtime.context,
    tempDir,
    async close() {
      try {
        await runtime.close();
      } finally {
        await rm(tempDir, { recursive: true, force: true });
      }
    },
  };
}
