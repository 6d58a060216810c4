import { readArcfaceModel } from '../models/arcface-model.ts';
import { readClipDetectorModel } from '../models/clip-detector-model.ts';
import type { Config } from './config.ts';
import { AnswerStore } from './feedback/answer-store.ts';
import { PendingStore } from './search/pending-store.ts';
import type { CoreContext } from './context.ts';
import { embedderInfo } from './faces/embedder-info.ts';
import { FaceEngine } from './faces/engine.ts';
import type { Logger } from './logger.ts';
import { closeKeyv, GroupStore, isRedisUrl, openKeyv, openRedisLocks, type RedisLocksConnection } from './store/index.ts';
import { lazyMediaTools } from './video/ffmpeg/tools.ts';

export interface Runtime {
  context: CoreContext;
  close(): Promise<void>;
}

interface OpenedStore {
  store: GroupStore;
  pending: PendingStore;
  answers: AnswerStore;
  close(): Promise<void>;
}

/**
 * The store: IDOLENS_STORE_URL when set, else REDIS_URL's Redis, else SQLite in the data directory.
 * Whenever Redis is configured, the store's locks are Redis locks, so processes sharing it exclude each other.
 */
async function openStore(config: Config, logger: Logger): Promise<OpenedStore> {
  const url = config.storeUrl ?? config.redisUrl;
  const sharedUrl = config.redisUrl ?? (url !== undefined && isRedisUrl(url) ? url : undefined);
  const lockConnection: RedisLocksConnection | undefined = sharedUrl === undefined
    ? undefined
    : await openRedisLocks(sharedUrl, { prefix: config.redisPrefix, logger });
  try {
    const namespace = url !== undefined && isRedisUrl(url) ? `${config.redisPrefix}:store` : undefined;
    const keyv = await openKeyv({ dataDir: config.dataDir, url, namespace });
    const store = new GroupStore(keyv, {
      onCleanupError: (error) => logger.warn({ err: error }, 'store clean-up failed; leftover records are unreachable'),
      ...(lockConnection === undefined ? {} : { locks: lockConnection.locks }),
    });
    return {
      store,
      pending: new PendingStore(keyv),
      answers: new AnswerStore(keyv),
      async close() {
        try {
          await closeKeyv(keyv);
        } finally {
          await lockConnection?.close();
        }
      },
    };
  } catch (error) {
    await lockConnection?.close();
    throw error;
  }
}

/**
 * Checks the embedder's weights (a missing or damaged file fails here, at start-up), opens the store and
 * prepares (but does not start) the face engine.
 */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  if (config.embedder.name === 'arcface') readArcfaceModel(config.embedder.arcfaceModel);
  readClipDetectorModel();
  const { store, pending, answers, close: closeStore } = await openStore(config, logger);
  let engine: Promise<FaceEngine> | undefined;
  const faces = (): Promise<FaceEngine> => {
    engine ??= FaceEngine.start({ workers: config.workers, backend: config.backend, embedder: config.embedder, logger });
    return engine;
  };
  const releaseFaces = async (): Promise<void> => {
    const running = engine;
    engine = undefined;
    if (running) await (await running).close();
  };
  const context: CoreContext = {
    embedder: embedderInfo(config.embedder.name),
    faces,
    releaseFaces,
    store,
    pending,
    answers,
    correctionsPerHour: config.limits.correctionsPerHour,
    search: config.search,
    logger,
    mediaLimits: config.mediaLimits,
    intakeLimits: config.intakeLimits,
    allowPrivateNetwork: config.allowPrivateNetwork,
    videoLimits: config.videoLimits,
    mediaTools: lazyMediaTools(config.mediaTools, logger),
  };
  return {
    context,
    async close() {
      try {
        await releaseFaces();
      } finally {
        await closeStore();
      }
    },
  };
}
