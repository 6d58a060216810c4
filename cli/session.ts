import type { Command } from 'commander';
import { loadConfig, type Config, type LogLevel } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { openRuntime, type Runtime } from '../core/runtime.ts';
import { assertServerId } from '../core/store/index.ts';

export interface GlobalOptions {
  data?: string;
  server: string;
  verbose?: boolean;
}

/**
 * The CLI logs warnings and errors only: its answers are the output, and progress has its own line. `--verbose`
 * adds the pipeline's info lines; IDOLENS_LOG_LEVEL sets any level.
 */
export function cliLogLevel(config: Config, options: Pick<GlobalOptions, 'verbose'>): LogLevel {
  if (options.verbose === true) return config.logLevel === 'debug' || config.logLevel === 'trace' ? config.logLevel : 'info';
  return config.logLevel ?? 'warn';
}

/**
 * Opens the runtime for one CLI command (its logs tagged with the command) and always closes it
 * (workers, database) afterwards.
 */
export async function withRuntime<T>(command: Command, work: (runtime: Runtime, server: string, config: Config) => Promise<T>, overrides: Partial<GlobalOptions> = {}): Promise<T> {
  const options = { ...command.optsWithGlobals<GlobalOptions>(), ...overrides };
  const server = assertServerId(options.server);
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  const logger = createLogger(cliLogLevel(config, options)).child({ command: command.name(), server });
  const runtime = await openRuntime(config, logger);
  try {
    return await work(runtime, server, config);
  } finally {
    await runtime.close();
  }
}
