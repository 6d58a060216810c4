import type { Command } from 'commander';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { openRuntime } from '../../core/runtime.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';
import type { CommandState } from '../main.ts';
import { QueueUsageError } from '../queue-session.ts';
import type { GlobalOptions } from '../session.ts';

type Role = 'service' | 'worker';

const KEEP_ALIVE_MS = 60 * 60 * 1000;

/** Resolves on the first SIGTERM or SIGINT; a second one ends the process at once. */
function stopSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn({ signal }, 'second stop signal: exiting now');
        process.exit(1);
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function describe(role: Role, config: Config, system: JobSystem): string {
  const backend = system.queue.backend === 'bullmq' ? 'BullMQ on Redis' : 'the in-process queue';
  if (role === 'worker') return `worker ready: taking jobs from ${backend}`;
  const workers = system.workers ? 'with job workers in this process' : 'without local job workers (run `npm run worker`)';
  return `idolens ready: ${backend}, ${workers}; no bot configured yet, results of queued requests go to ${config.outboxDir}`;
}

async function run(role: Role, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  if (role === 'worker' && config.redisUrl === undefined) {
    throw new QueueUsageError('a worker process takes its jobs from Redis: set REDIS_URL (without it, `npm start` runs the jobs itself).');
  }
  const logger = createLogger(config.logLevel).child({ role, pid: process.pid });
  const stopped = stopSignal(logger);
  // Signal listeners do not keep Node running, and without Redis nothing else does while the queue is idle.
  const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
  try {
    const runtime = await openRuntime(config, logger);
    const runWorkers = role === 'worker' || config.localWorkers;
    // The face networks load before the first job is taken, so that job does not wait seconds for them.
    if (runWorkers) await runtime.context.faces();
    const system = await openJobSystem(config, runtime, logger, { runWorkers });
    logger.info(describe(role, config, system));
    const signal = await stopped;
    logger.info({ signal, graceSeconds: config.shutdownGraceMs / 1000 }, 'stopping: no new jobs; running ones may finish');
    await system.close(config.shutdownGraceMs);
    await runtime.close();
    logger.info('stopped');
  } finally {
    clearInterval(keepAlive);
  }
}

export function registerServe(program: Command, _state: CommandState): void {
  program
    .command('serve')
    .description('run the service (npm start): the job queue, local workers unless REDIS_URL says otherwise, and the bots')
    .action((_options: unknown, command: Command) => run('service', command));
  program
    .command('worker')
    .description('run a job worker process (npm run worker): takes jobs from Redis (REDIS_URL) until stopped')
    .action((_options: unknown, command: Command) => run('worker', command));
}
