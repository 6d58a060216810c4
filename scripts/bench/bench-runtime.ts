import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';

export interface BenchSetup {
  config: Config;
  logger: Logger;
}

export function benchSetup(): BenchSetup {
  const config = loadConfig(process.env);
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
    await runtime.context.faces();
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** Progress goes to stderr so stdout carries only the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
