/**
 * `--queue`: the command's work goes to the job workers through Redis, and the answer comes back here to be
 * printed exactly as the local command prints it (batch jobs on a cluster; the distributed path without a bot).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { IdolensError, isErrorCode } from '../core/errors.ts';
import { expandInputs, isInputError, redactUrl, type IntakeLayout } from '../core/intake/index.ts';
import { createLogger } from '../core/logger.ts';
import type { MediaRef } from '../core/media-ref/index.ts';
import { openRuntime } from '../core/runtime.ts';
import { assertServerId } from '../core/store/index.ts';
import { CALLER_FILE_TTL_SECONDS } from '../workers/delivery/caller-delivery.ts';
import type { JobProgress } from '../workers/delivery/delivery.ts';
import type { JobReturn } from '../workers/executor.ts';
import { JobFailedError } from '../workers/job-errors.ts';
import type { JobInput, JobName, JobPayloads, JobRequest } from '../workers/jobs.ts';
import type { JobSystem } from '../workers/service.ts';
import { cliLogLevel, type GlobalOptions } from './session.ts';
import { UsageError } from './usage-error.ts';
import { waitForWorker } from './worker-wait.ts';

export interface QueueSession {
  system: JobSystem;
  config: Config;
  server: string;
  /** Runs one job through the queue and returns its result; a failure becomes the IdolensError it was. */
  run<N extends JobName>(name: N, payload: JobPayloads[N], onProgress?: (progress: JobProgress) => void): Promise<JobReturn<N>>;
  /** Puts local files and URLs into the job's inputs (files as blobs the workers can read; URLs fetched by them). */
  inputs(args: readonly string[], layout: IntakeLayout): Promise<JobInput[]>;
  /** A local clip as a blob reference (refused at once when it is missing or over the size limit). */
  clip(file: string): Promise<MediaRef>;
  /** An answer's file, by its name in the receipt. */
  fetchFile(result: JobReturn, name: string): Promise<Uint8Array>;
  /** Writes an answer's file to `target`. */
  saveFile(result: JobReturn, name: string, target: string): Promise<void>;
}

const HTTP_URL = /^https?:\/\//i;
/** A job no worker has taken after this long gets a line saying so (a busy worker takes a few seconds at most). */
const WORKER_HINT_MS = 5_000;

export async function withQueue<T>(command: Command, work: (session: QueueSession) => Promise<T>): Promise<T> {
  const options = command.optsWithGlobals<GlobalOptions & { by?: string }>();
  const server = assertServerId(options.server);
  const config = loadConfig(process.env, options.data === undefined ? {} : { dataDir: options.data });
  if (config.redisUrl === undefined) throw new UsageError('--queue sends the work to the job workers through Redis: set REDIS_URL (or run the command without --queue).');
  const logger = createLogger(cliLogLevel(config, options)).child({ command: command.name(), server, queue: true });
  const runtime = await openRuntime(config, logger);
  const { openJobSystem } = await import('../workers/service.ts');
  const system = await openJobSystem(config, runtime, logger, { runWorkers: false });
  const by = options.by ?? 'cli';
  const session: QueueSession = {
    system, config, server,
    async run(name, payload, onProgress) {
      const request: JobRequest = { id: `cli-${randomUUID()}`, server, by, target: { kind: 'caller' } };
      const jobId = await system.producer.submit(name, { ...payload, request });
      const wait = waitForWorker({
        queue: system.queue, name, jobId, hintAfterMs: WORKER_HINT_MS, giveUpAfterMs: config.queueWaitSeconds * 1000,
        hint: (text) => process.stderr.write(`${text}\n`),
      });
      const result = system.queue.result(name, jobId, onProgress);
      // A withdrawn job's result never comes: the race below ends with the wait's refusal instead.
      result.catch(() => undefined);
      try {
        return await Promise.race([result, wait.taken.then(() => result)]);
      } catch (error) {
        throw asDomainError(error);
      } finally {
        wait.stop();
      }
    },
    inputs: (args, layout) => uploadInputs(system, config, args, layout),
    fetchFile: (result, name) => fetchAnswerFile(system, result, name),
    clip: (file) => uploadClip(system, config, file),
    async saveFile(result, name, target) {
      const bytes = await fetchAnswerFile(system, result, name);
      await mkdir(path.dirname(path.resolve(target)), { recursive: true });
      await writeFile(target, bytes);
    },
  };
  try {
    return await work(session);
  } finally {
    await system.close(0);
    await runtime.close();
  }
}

async function fetchAnswerFile(system: JobSystem, result: JobReturn, name: string): Promise<Uint8Array> {
  const files = result.receipt.files;
  const key = typeof files === 'object' && files !== null ? (files as Record<string, string>)[name] : undefined;
  const bytes = key === undefined ? undefined : await system.blobs.get(key);
  if (!bytes) throw new IdolensError('internal', `The answer's file ${name} is no longer available.`);
  return bytes;
}

function asDomainError(error: unknown): unknown {
  if (!(error instanceof JobFailedError)) return error;
  const code = isErrorCode(error.code) ? error.code : 'internal';
  return new IdolensError(code, error.message);
}

async function uploadInputs(system: JobSystem, config: Config, args: readonly string[], layout: IntakeLayout): Promise<JobInput[]> {
  const inputs: JobInput[] = [];
  for (const arg of args) {
    if (HTTP_URL.test(arg)) {
      inputs.push({ ref: { kind: 'url', url: arg, name: redactUrl(arg), trust: 'admin' } });
      continue;
    }
    for await (const entry of expandInputs([arg], { layout, limits: config.intakeLimits })) {
      const member = !isInputError(entry) && entry.member !== undefined ? { member: entry.member } : {};
      if (isInputError(entry)) {
        inputs.push({ source: entry.source, error: { code: entry.error.code, message: entry.error.message }, ...member });
        continue;
      }
      try {
        const key = await system.blobs.put(await entry.read(), { ttlSeconds: CALLER_FILE_TTL_SECONDS });
        inputs.push({ ref: { kind: 'blob', key, name: entry.source }, ...member });
      } catch (error) {
        if (!(error instanceof IdolensError)) throw error;
        inputs.push({ source: entry.source, error: { code: error.code, message: error.message }, ...member });
      }
    }
  }
  return inputs;
}

async function uploadClip(system: JobSystem, config: Config, file: string): Promise<MediaRef> {
  if (HTTP_URL.test(file)) return { kind: 'url', url: file, name: redactUrl(file), trust: 'admin' };
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new IdolensError('not_found', `I could not find the clip ${file}.`);
  if (info.size > config.videoLimits.maxBytes) throw new IdolensError('video_too_large', undefined, { bytes: info.size, maxBytes: config.videoLimits.maxBytes });
  const key = await system.blobs.putFile(file, { ttlSeconds: CALLER_FILE_TTL_SECONDS });
  return { kind: 'blob', key, name: file };
}
