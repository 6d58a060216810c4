import type { Config } from './config.ts';
import type { CoreContext } from './context.ts';
import { embedderInfo } from './faces/embedder-info.ts';
import { FaceEngine } from './faces/engine.ts';
import type { Logger } from './logger.ts';
import { closeKeyv, GroupStore, openKeyv } from './store/index.ts';
import { lazyMediaTools } from './video/tools.ts';

export interface Runtime {
  context: CoreContext;
  close(): Promise<void>;
}

const ALIGNMENT = 'roll';
const FLIP = false;

/** Opens the store and prepares (but does not start) the face engine. */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const keyv = await openKeyv({ dataDir: config.dataDir, ...(config.storeUrl === undefined ? {} : { url: config.storeUrl }) });
  const store = new GroupStore(keyv, { onCleanupError: (error) => logger.warn({ err: error }, 'store clean-up failed; leftover records are unreachable') });
  let engine: Promise<FaceEngine> | undefined;
  const faces = (): Promise<FaceEngine> => {
    engine ??= FaceEngine.start({ workers: config.workers, backend: config.backend, alignment: ALIGNMENT, flip: FLIP, logger });
    return engine;
  };
  const releaseFaces = async (): Promise<void> => {
    const running = engine;
    engine = undefined;
    if (running) await (await running).close();
  };
  const context: CoreContext = {
    embedder: embedderInfo({ alignment: ALIGNMENT, flip: FLIP }),
    faces,
    releaseFaces,
    store,
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
      await releaseFaces();
      await closeKeyv(keyv);
    },
  };
}
