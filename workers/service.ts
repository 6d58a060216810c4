/**
 * Builds the job system from the configuration: BullMQ, a shared store, blobs, caps and the delivery ledger in
 * Redis when REDIS_URL is set; otherwise all of it inside this process.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { FileBlobStore, RedisBlobStore, type BlobStore, type FileLocator, type FilePlatform } from '../core/media-ref/index.ts';
import { nameKey } from '../core/store/index.ts';
import type { Runtime } from '../core/runtime.ts';
import { startTempDirSweeper } from '../core/temp-dirs.ts';
import { MemoryJobCancellations, RedisJobCancellations, type JobCancellations } from './cancellations.ts';
import { CallerDelivery } from './delivery/caller-delivery.ts';
import { silentDelivery, unconfiguredDelivery, type Delivery } from './delivery/delivery.ts';
import { MemoryDeliveryLedger, RedisDeliveryLedger, type DeliveryLedger } from './delivery/ledger.ts';
import { OutboxDelivery } from './delivery/outbox-delivery.ts';
import { RoutingDelivery } from './delivery/routing-delivery.ts';
import { JobExecutor } from './executor.ts';
import { MemoryServerGate } from './limits/memory-gate.ts';
import { RedisServerGate } from './limits/redis-gate.ts';
import type { ServerGate } from './limits/limits.ts';
import { processorTable } from './processors/index.ts';
import { JobProducer } from './producer.ts';
import { BullQueue } from './queue/bullmq-queue.ts';
import { BullWorkers } from './queue/bullmq-workers.ts';
import { InProcessQueue } from './queue/in-process-queue.ts';
import type { JobQueue, JobWorkers } from './queue/queue.ts';

export interface JobSystemOptions {
  /** Run jobs in this process (always true without Redis: someone has to). */
  runWorkers: boolean;
  /** Replaces the whole routing (tests: a recording fake). */
  delivery?: Delivery;
  /** How this process answers on each platform it is configured for (the composition root builds them). */
  platforms?: { discord?: Delivery; telegram?: Delivery };
  /** How this process locates each platform's files (the composition root builds them). */
  platformFiles?: Partial<Record<FilePlatform, FileLocator>>;
}

export interface JobSystem {
  queue: JobQueue;
  producer: JobProducer;
  blobs: BlobStore;
  gate: ServerGate;
  /** Where a bot marks a request its asker cancelled; workers stop its job. */
  cancellations: JobCancellations;
  /** Present when this process runs jobs. */
  workers: JobWorkers | undefined;
  /** Stops taking jobs, lets running ones finish within the grace time, closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export function redisConnection(url: string): Redis {
  // null: commands wait for a reconnect instead of failing (BullMQ requires it for workers).
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export async function openJobSystem(config: Config, runtime: Runtime, logger: Logger, options: JobSystemOptions): Promise<JobSystem> {
  const processors = processorTable();
  const redis = config.redisUrl === undefined ? undefined : redisConnection(config.redisUrl);
  redis?.on('error', (error) => logger.warn({ err: error }, 'Redis connection problem (reconnecting)'));
  const prefix = config.redisPrefix;
  const blobs: BlobStore = redis ? new RedisBlobStore(redis, prefix) : new FileBlobStore(path.join(config.dataDir, 'blobs'));
  const gate: ServerGate = redis ? new RedisServerGate(redis, prefix, config.limits) : new MemoryServerGate(config.limits);
  const ledger: DeliveryLedger = redis ? new RedisDeliveryLedger(redis, prefix) : new MemoryDeliveryLedger();
  const cancellations: JobCancellations = redis ? new RedisJobCancellations(redis, prefix) : new MemoryJobCancellations();
  const delivery = options.delivery ?? new RoutingDelivery({
    outbox: new OutboxDelivery(config.outboxDir),
    caller: new CallerDelivery(blobs),
    none: silentDelivery,
    discord: options.platforms?.discord ?? unconfiguredDelivery('Discord', 'DISCORD_TOKEN'),
    telegram: options.platforms?.telegram ?? unconfiguredDelivery('Telegram', 'TELEGRAM_TOKEN'),
  });
  let queue: JobQueue | undefined;
  const scheduleTraining = async (server: string, group: string): Promise<void> => {
    if (!queue) return;
    const key = `train:${encodeURIComponent(server)}:${encodeURIComponent(nameKey(group))}`;
    const request = { id: `auto-${key}-${Date.now()}`, server, by: 'idolens', target: { kind: 'none' as const } };
    await queue.enqueue('train', { request, group, force: false }, { delayMs: config.jobs.trainDebounceMs, debounceKey: key });
  };
  const executor = new JobExecutor({ processors, core: runtime.context, blobs, mediaHosts: config.mediaHosts, platformFiles: options.platformFiles ?? {}, gate, delivery, ledger, cancellations, scheduleTraining, logger });
  let workers: JobWorkers | undefined;
  if (redis) {
    queue = new BullQueue(redis, prefix, config.jobs, logger);
    if (options.runWorkers) workers = new BullWorkers(redis, prefix, config.jobs, executor, logger);
  } else {
    const local = new InProcessQueue(executor, config.jobs, logger);
    queue = local;
    workers = local;
  }
  await workers?.start();
  const sweeper = workers === undefined ? undefined : await startTempDirSweeper(logger.child({ component: 'temp-sweep' }));
  const openedQueue = queue;
  return {
    queue: openedQueue,
    producer: new JobProducer(openedQueue, gate),
    blobs,
    gate,
    cancellations,
    workers,
    async close(graceMs = config.shutdownGraceMs) {
      sweeper?.stop();
      await workers?.close(graceMs);
      await openedQueue.close();
      await gate.close();
      await blobs.close();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
