import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { openRuntime, type Runtime } from '../core/runtime.ts';
import { assertServerId } from '../core/store/index.ts';

export interface GlobalOptions {
  data?: string;
  server: string;
}

/** Opens the runtime for one CLI command and always closes it (workers, database) afterwards. */
export async function withRuntime<T>(options: GlobalOptions, work: (runtime: Runtime, server: string) => Promise<T>): Promise<T> {
  const server = assertServerId(options.server);
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  try {
    return await work(runtime, server);
  } finally {
    await runtime.close();
  }
}
