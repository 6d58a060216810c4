import type { FaceEngine } from './faces/engine.ts';
import type { IntakeLimits } from './intake/index.ts';
import type { Logger } from './logger.ts';
import type { AnswerStore } from './feedback/answer-store.ts';
import type { PendingStore } from './search/pending-store.ts';
import type { SearchSettings } from './search/types.ts';
import type { GroupStore } from './store/index.ts';
import type { EmbedderInfo, MediaLimits } from './types.ts';
import type { MediaTools } from './video/ffmpeg/tools.ts';
import type { VideoLimits } from './video/types.ts';

/** Everything the pipeline's services need, built once at start-up and passed in. */
export interface CoreContext {
  /** The descriptor in use: known without starting the inference workers. */
  embedder: EmbedderInfo;
  /** The inference pool, started on first use (commands that only read the store never start it). */
  faces(): Promise<FaceEngine>;
  /** Stops the inference pool if it runs (its memory is returned); the next faces() starts a fresh one. */
  releaseFaces(): Promise<void>;
  store: GroupStore;
  /** Photos found by image searches, waiting for an admin's review. */
  pending: PendingStore;
  /** The bots' answers fans may correct (a day), and each fan's recent corrections. */
  answers: AnswerStore;
  /** Corrections one fan may suggest per hour on one server. */
  correctionsPerHour: number;
  /** The image search providers' settings. */
  search: SearchSettings;
  logger: Logger;
  mediaLimits: MediaLimits;
  intakeLimits: IntakeLimits;
  /** Lets enrollment download from loopback/private addresses (tests and local fakes only). */
  allowPrivateNetwork: boolean;
  videoLimits: VideoLimits;
  /** ffmpeg and ffprobe, found on first use (the choice is logged once). */
  mediaTools(): MediaTools;
}
