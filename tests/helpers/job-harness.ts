/**
 * A real job system for tests: real runtime (models, store), the chosen queue backend (BullMQ on the shared
 * Redis under a private prefix, or in-process), and the recording fake of the Delivery port.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import type { JobName, JobPayloads, JobRequest } from '../../workers/jobs.ts';
import { openJobSystem, type JobSystem } from '../../workers/service.ts';
import { RecordingDelivery } from './recording-delivery.ts';
import { deleteKeysWithPrefix, sharedRedisUrl, uniquePrefix } from './redis-server.ts';
import { makeTempDir, testEnvironment } from './runtime.ts';

export type Backend = 'in-process' | 'bullmq';

export interface JobHarness {
  backend: Backend;
  config: Config;
  runtime: Runtime;
  system: JobSystem;
  delivery: RecordingDelivery;
  tempDir: string;
  /** Submits a job for a fresh request (or the given one) and returns the request id. */
  submit<N extends JobName>(name: N, payload: JobPayloads[N], request?: Partial<JobRequest>): Promise<string>;
  close(): Promise<void>;
}

export async function openJobHarness(backend: Backend, environment: NodeJS.ProcessEnv = {}): Promise<JobHarness> {
  const tempDir = await makeTempDir(`jobs-${backend}`);
  const prefix = uniquePrefix(`jobs-${backend}`);
  const redis = backend === 'bullmq' ? { REDIS_URL: sharedRedisUrl(), IDOLENS_REDIS_PREFIX: prefix } : {};
  const env = testEnvironment({ IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn', IDOLENS_RETRY_DELAY_MS: '200', ...redis, ...environment });
  if (backend === 'in-process') delete env.REDIS_URL;
  const config = loadConfig(env, { dataDir: path.join(tempDir, 'data') });
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const delivery = new RecordingDelivery();
  const system = await openJobSystem(config, runtime, logger, { runWorkers: true, delivery });
  return {
    backend, config, runtime, system, delivery, tempDir,
    async submit(name, payload, request = {}) {
      const full: JobRequest = { id: `test-${randomUUID()}`, server: 'jobs-test', by: 'tester', target: { kind: 'caller' }, ...request };
      await system.producer.submit(name, { ...payload, request: full });
      return full.id;
    },
    async close() {
      try {
        await system.close(5_000);
        await runtime.close();
      } finally {
        if (backend === 'bullmq') await deleteKeysWithPrefix(sharedRedisUrl(), prefix);
        await rm(tempDir, { recursive: true, force: true });
      }
    },
  };
}
