import type { Command } from 'commander';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import type { JobSystem } from '../../workers/service.ts';
import type { Role } from '../service.ts';
import type { CommandState } from '../command-state.ts';
import { UsageError } from '../usage-error.ts';
import type { GlobalOptions } from '../session.ts';

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
  const connected = [config.discord === undefined ? undefined : 'Discord', config.telegram === undefined ? undefined : 'Telegram'].filter((name) => name !== undefined);
  const bots = connected.length === 0
    ? `no bot configured (set DISCORD_TOKEN or TELEGRAM_TOKEN); results of queued requests go to ${config.outboxDir}`
    : `${connected.join(' and ')} bot${connected.length === 1 ? '' : 's'} connected`;
  return `idolens ready: ${backend}, ${workers}; ${bots}`;
}

async function run(role: Role, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  if (role === 'worker' && config.redisUrl === undefined) {
    throw new UsageError('a worker process takes its jobs from Redis: set REDIS_URL (without it, `npm start` runs the jobs itself).');
  }
  const logger = createLogger(config.logLevel).child({ role, pid: process.pid });
  const stopped = stopSignal(logger);
  // Signal listeners do not keep Node running, and without Redis nothing else does while the queue is idle.
  const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
  try {
    // The bots and the job system load only here: other commands never pay for discord.js, telegraf or BullMQ.
    const { openService } = await import('../service.ts');
    const service = await openService(config, logger, role);
    logger.info(describe(role, config, service.system));
    const signal = await stopped;
    logger.info({ signal, graceSeconds: config.shutdownGraceMs / 1000 }, 'stopping: no new jobs; running ones may finish');
    await service.close(config.shutdownGraceMs);
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
