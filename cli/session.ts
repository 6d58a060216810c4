import type { Command } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { openRuntime, type Runtime } from '../core/runtime.ts';
import { assertServerId } from '../core/store/index.ts';

export interface GlobalOptions {
  data?: string;
  server: string;
}

/**
 * Opens the runtime for one CLI command (its logs tagged with the command) and always closes it
 * (workers, database) afterwards.
 */
export async function withRuntime<T>(command: Command, work: (runtime: Runtime, server: string, config: Config) => Promise<T>, overrides: Partial<GlobalOptions> = {}): Promise<T> {
  const options = { ...command.optsWithGlobals<GlobalOptions>(), ...overrides };
  const server = assertServerId(options.server);
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  const logger = createLogger(config.logLevel).child({ command: command.name(), server });
  const runtime = await openRuntime(config, logger);
  try {
    return await work(runtime, server, config);
  } finally {
    await runtime.close();
  }
}
