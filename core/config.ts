import path from 'node:path';
import { z } from 'zod';
import type { BackendPreference } from '../models/backend.ts';
import { defaultWorkerCount } from './faces/engine.ts';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './intake/index.ts';
import { DEFAULT_MEDIA_LIMITS } from './media/index.ts';
import type { MediaLimits } from './types.ts';
import { DEFAULT_VIDEO_LIMITS } from './video/limits.ts';
import type { MediaToolSettings } from './video/tools.ts';
import type { VideoLimits } from './video/types.ts';

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable idolens reads; `.env.example` documents each one. */
const environmentSchema = z.object({
  IDOLENS_DATA: z.string().min(1).optional(),
  IDOLENS_STORE_URL: z.string().min(1).optional(),
  IDOLENS_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  IDOLENS_WORKERS: positiveInt.max(32).optional(),
  IDOLENS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IDOLENS_MAX_IMAGE_BYTES: positiveInt.optional(),
  IDOLENS_MAX_IMAGE_PIXELS: positiveInt.optional(),
  IDOLENS_ALLOW_PRIVATE_URLS: z.enum(['0', '1', 'true', 'false']).default('0'),
  IDOLENS_MAX_VIDEO_BYTES: positiveInt.optional(),
  IDOLENS_MAX_VIDEO_SECONDS: positiveInt.optional(),
  IDOLENS_MAX_VIDEO_PIXELS: positiveInt.optional(),
  IDOLENS_VIDEO_TIMEOUT_SECONDS: positiveInt.optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
});

export interface Config {
  dataDir: string;
  storeUrl: string | undefined;
  backend: BackendPreference;
  workers: number;
  logLevel: string;
  mediaLimits: MediaLimits;
  intakeLimits: IntakeLimits;
  allowPrivateNetwork: boolean;
  videoLimits: VideoLimits;
  mediaTools: MediaToolSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parsed once at start-up; the result is passed to whatever needs it. */
export function loadConfig(environment: NodeJS.ProcessEnv, overrides: { dataDir?: string } = {}): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const maxBytes = env.IDOLENS_MAX_IMAGE_BYTES ?? DEFAULT_MEDIA_LIMITS.maxBytes;
  return {
    dataDir: path.resolve(overrides.dataDir ?? env.IDOLENS_DATA ?? 'data'),
    storeUrl: env.IDOLENS_STORE_URL,
    backend: env.IDOLENS_BACKEND,
    workers: env.IDOLENS_WORKERS ?? defaultWorkerCount(),
    logLevel: env.IDOLENS_LOG_LEVEL,
    mediaLimits: { ...DEFAULT_MEDIA_LIMITS, maxBytes, maxPixels: env.IDOLENS_MAX_IMAGE_PIXELS ?? DEFAULT_MEDIA_LIMITS.maxPixels },
    intakeLimits: { ...DEFAULT_INTAKE_LIMITS, maxBytesPerFile: maxBytes },
    allowPrivateNetwork: env.IDOLENS_ALLOW_PRIVATE_URLS === '1' || env.IDOLENS_ALLOW_PRIVATE_URLS === 'true',
    videoLimits: {
      ...DEFAULT_VIDEO_LIMITS,
      maxBytes: env.IDOLENS_MAX_VIDEO_BYTES ?? DEFAULT_VIDEO_LIMITS.maxBytes,
      maxSeconds: env.IDOLENS_MAX_VIDEO_SECONDS ?? DEFAULT_VIDEO_LIMITS.maxSeconds,
      maxPixels: env.IDOLENS_MAX_VIDEO_PIXELS ?? DEFAULT_VIDEO_LIMITS.maxPixels,
      timeoutSeconds: env.IDOLENS_VIDEO_TIMEOUT_SECONDS ?? DEFAULT_VIDEO_LIMITS.timeoutSeconds,
    },
    mediaTools: { ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH },
  };
}
