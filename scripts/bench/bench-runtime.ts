import { execFileSync } from 'node:child_process';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';

export interface BenchSetup {
  config: Config;
  logger: Logger;
}

/** Quieter than the product's default (info) unless IDOLENS_LOG_LEVEL says otherwise: stderr carries progress. */
export function benchSetup(): BenchSetup {
  const config = loadConfig({ IDOLENS_LOG_LEVEL: 'warn', ...process.env });
  return { config, logger: createLogger(config.logLevel) };
}

/** The product's own runtime over an in-memory store, with a fixed number of face workers. */
export async function openBenchRuntime(setup: BenchSetup, workers: number): Promise<Runtime> {
  return openRuntime({ ...setup.config, storeUrl: 'memory:', workers }, setup.logger);
}

/** Runs `work` with a fresh runtime whose face engine is already started, and always closes it. */
export async function withRuntime<T>(setup: BenchSetup, workers: number, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openBenchRuntime(setup, workers);
  try {
    // Timings compare worker counts: every worker is running before the clock starts.
    await (await runtime.context.faces()).startAllWorkers();
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** Progress goes to stderr so stdout carries only the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Read-only git queries, so a result can be traced to the code that produced it. */
export function currentCommit(repoRoot: string): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no').length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
