import path from 'node:path';
import { z } from 'zod';
import type { BackendPreference } from '../models/backend.ts';
import { defaultWorkerCount } from './faces/engine.ts';
import { DEFAULT_EMBEDDER, EMBEDDER_NAMES } from './faces/embedder-info.ts';
import type { EmbedderSettings } from './faces/load-embedder.ts';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './intake/index.ts';
import { DEFAULT_MEDIA_LIMITS } from './media/index.ts';
import { SEARCH_PROVIDERS, type SearchSettings } from './search/types.ts';
import type { MediaLimits } from './types.ts';
import { DEFAULT_VIDEO_LIMITS } from './video/input/limits.ts';
import type { MediaToolSettings } from './video/ffmpeg/tools.ts';
import type { VideoLimits } from './video/types.ts';

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable idolens reads; `.env.example` documents each one. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const environmentSchema = z.object({
  IDOLENS_DATA: z.string().min(1).optional(),
  IDOLENS_STORE_URL: z.string().min(1).optional(),
  IDOLENS_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  IDOLENS_WORKERS: positiveInt.max(32).optional(),
  IDOLENS_EMBEDDER: z.enum(EMBEDDER_NAMES).default(DEFAULT_EMBEDDER),
  IDOLENS_ONNX_RUNTIME: z.enum(['auto', 'native', 'wasm']).default('auto'),
  IDOLENS_ARCFACE_MODEL: z.string().min(1).optional(),
  IDOLENS_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  IDOLENS_MAX_IMAGE_BYTES: positiveInt.optional(),
  IDOLENS_MAX_IMAGE_PIXELS: positiveInt.optional(),
  IDOLENS_ALLOW_PRIVATE_URLS: z.enum(['0', '1', 'true', 'false']).default('0'),
  IDOLENS_MAX_VIDEO_BYTES: positiveInt.optional(),
  IDOLENS_MAX_VIDEO_SECONDS: positiveInt.optional(),
  IDOLENS_MAX_VIDEO_PIXELS: positiveInt.optional(),
  IDOLENS_VIDEO_TIMEOUT_SECONDS: positiveInt.optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  IDOLENS_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only').default('idolens'),
  IDOLENS_LOCAL_WORKERS: z.enum(['0', '1', 'true', 'false']).optional(),
  IDOLENS_MEDIA_HOSTS: z.string().default('cdn.discordapp.com,media.discordapp.net,api.telegram.org'),
  IDOLENS_DOWNLOAD_TIMEOUT_SECONDS: positiveInt.max(3600).optional(),
  IDOLENS_IDENTIFY_CONCURRENCY: positiveInt.max(64).optional(),
  IDOLENS_ANNOTATE_CONCURRENCY: positiveInt.max(16).default(1),
  IDOLENS_JOB_ATTEMPTS: positiveInt.max(20).default(3),
  IDOLENS_RETRY_DELAY_MS: positiveInt.max(600_000).default(2000),
  IDOLENS_TRAIN_DEBOUNCE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  IDOLENS_MAX_QUEUED_PER_SERVER: positiveInt.max(10_000).default(20),
  IDOLENS_QUEUE_WAIT_SECONDS: positiveInt.max(86_400).default(120),
  IDOLENS_CORRECTIONS_PER_HOUR: positiveInt.max(1000).default(10),
  IDOLENS_MAX_ANNOTATE_PER_SERVER: positiveInt.max(100).default(2),
  IDOLENS_CLIP_MINUTES_PER_DAY: positiveInt.max(100_000).default(30),
  IDOLENS_SHUTDOWN_GRACE_SECONDS: positiveInt.max(3600).default(60),
  IDOLENS_JOB_LOCK_SECONDS: positiveInt.max(3600).default(60),
  IDOLENS_OUTBOX: z.string().min(1).optional(),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'the application id is a number').optional(),
  DISCORD_API_ROOT: z.string().url().default('https://discord.com/api'),
  DISCORD_DEV_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'a guild id is a number').optional(),
  DISCORD_UPLOAD_LIMIT_BYTES: positiveInt.optional(),
  TELEGRAM_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token looks like 123456:ABC-…').optional(),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_DOWNLOAD_LIMIT_BYTES: positiveInt.optional(),
  TELEGRAM_UPLOAD_LIMIT_BYTES: positiveInt.optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 of A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_WEBHOOK_PORT: positiveInt.max(65535).default(8443),
  TELEGRAM_WEBHOOK_HOST: z.string().min(1).default('0.0.0.0'),
  IDOLENS_SEARCH_PROVIDER: z.enum(SEARCH_PROVIDERS).default('commons'),
  COMMONS_API_URL: z.string().url().default('https://commons.wikimedia.org/w/api.php'),
  BRAVE_SEARCH_API_KEY: z.string().min(1).optional(),
  BRAVE_SEARCH_API_URL: z.string().url().default('https://api.search.brave.com/res/v1/images/search'),
  GOOGLE_SEARCH_API_KEY: z.string().min(1).optional(),
  GOOGLE_SEARCH_ENGINE_ID: z.string().min(1).optional(),
  GOOGLE_SEARCH_API_URL: z.string().url().default('https://www.googleapis.com/customsearch/v1'),
  IDOLENS_SEARCH_HOST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  IDOLENS_SEARCH_CONCURRENCY: positiveInt.max(16).default(4),
});

export interface Config {
  dataDir: string;
  storeUrl: string | undefined;
  backend: BackendPreference;
  /** The face descriptor every sample and model of this deployment is made with. */
  embedder: EmbedderSettings;
  workers: number;
  /** Unset: each entry point's own default (info for the bot and its workers, warn for the CLI). */
  logLevel: LogLevel | undefined;
  mediaLimits: MediaLimits;
  intakeLimits: IntakeLimits;
  allowPrivateNetwork: boolean;
  videoLimits: VideoLimits;
  mediaTools: MediaToolSettings;
  /** Set: BullMQ queues, the store, blobs and locks live in this Redis; unset: everything in this process. */
  redisUrl: string | undefined;
  /** How long the CLI's --queue waits for a worker to take its job before it withdraws the job and gives up. */
  queueWaitSeconds: number;
  /** Prefix of every Redis key we write (queues, store, blobs, locks), so several deployments can share one Redis. */
  redisPrefix: string;
  /** Whether `npm start` also runs job workers in its own process (always when there is no Redis). */
  localWorkers: boolean;
  /** Hosts (and their subdomains) that platform media URLs may come from; admins' URLs may come from any public host. */
  mediaHosts: readonly string[];
  jobs: JobSettings;
  limits: ServerLimits;
  shutdownGraceMs: number;
  /** Where the file delivery writes results (text, JSON and files) for requests made without a bot. */
  outboxDir: string;
  /** Set when DISCORD_TOKEN is: the bot runs in `npm start`, and every job process can answer on Discord. */
  discord: DiscordSettings | undefined;
  /** Set when TELEGRAM_TOKEN is: the Telegram bot runs in `npm start`, and every job process can answer on Telegram. */
  telegram: TelegramSettings | undefined;
  /** Image search for enrolling members by name. */
  search: SearchSettings;
}

export interface TelegramSettings {
  token: string;
  /** Default https://api.telegram.org; a self-hosted Bot API server, or a local fake in tests. */
  apiRoot: string;
  /** Files the bot may download (the Bot API's 20 MB, unless a self-hosted server lifts it). */
  downloadLimitBytes: number;
  /** Files the bot may upload (50 MB on the public Bot API). */
  uploadLimitBytes: number;
  /** Set: updates arrive by webhook at this URL (with the secret header checked) instead of long polling. */
  webhook: { url: string; secret: string; port: number; host: string } | undefined;
}

const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
const TELEGRAM_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

export interface DiscordSettings {
  token: string;
  /** Read from the token's READY when unset (deploy-commands asks the API). */
  applicationId: string | undefined;
  /** REST root without the version (default https://discord.com/api); a proxy or a local fake in tests. */
  apiRoot: string;
  /** `npm run deploy-commands` registers to this guild only (instant, for development) instead of globally. */
  devGuildId: string | undefined;
  /** Used when an interaction does not say its upload limit (older payloads): 10 MiB, Discord's base limit. */
  defaultUploadLimitBytes: number;
}

const DISCORD_BASE_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

export interface JobSettings {
  /** Jobs of each kind one worker process runs at once. */
  concurrency: { identify: number; annotate: number; enroll: number; import: number; train: number; group: number; search: number; correct: number; pack: number };
  /** Tries per job for transient failures (bad input is never retried). */
  attempts: number;
  /** First retry delay; doubles every try. */
  retryDelayMs: number;
  /** Quiet time after the last enroll before the group is retrained. */
  trainDebounceMs: number;
  /** A job whose worker stopped renewing its lock this long ago (a crashed process) is given to another worker. */
  lockMs: number;
}

/** Per-server caps, so one busy server cannot starve the others. */
export interface ServerLimits {
  maxQueuedJobs: number;
  maxAnnotateJobs: number;
  clipSecondsPerDay: number;
  /** Corrections one fan may suggest per hour on one server. */
  correctionsPerHour: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parsed once at start-up; the result is passed to whatever needs it. */
export function loadConfig(environment: NodeJS.ProcessEnv, overrides: { dataDir?: string } = {}): Config {
  // An empty variable (`DISCORD_TOKEN=` as in .env.example) means unset.
  const parsed = environmentSchema.safeParse(Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const maxBytes = env.IDOLENS_MAX_IMAGE_BYTES ?? DEFAULT_MEDIA_LIMITS.maxBytes;
  const workers = env.IDOLENS_WORKERS ?? defaultWorkerCount();
  const dataDir = path.resolve(overrides.dataDir ?? env.IDOLENS_DATA ?? 'data');
  return {
    dataDir,
    storeUrl: env.IDOLENS_STORE_URL,
    backend: env.IDOLENS_BACKEND,
    embedder: {
      name: env.IDOLENS_EMBEDDER,
      onnxRuntime: env.IDOLENS_ONNX_RUNTIME,
      ...(env.IDOLENS_ARCFACE_MODEL === undefined ? {} : { arcfaceModel: path.resolve(env.IDOLENS_ARCFACE_MODEL) }),
    },
    workers,
    logLevel: env.IDOLENS_LOG_LEVEL,
    mediaLimits: { ...DEFAULT_MEDIA_LIMITS, maxBytes, maxPixels: env.IDOLENS_MAX_IMAGE_PIXELS ?? DEFAULT_MEDIA_LIMITS.maxPixels },
    intakeLimits: {
      ...DEFAULT_INTAKE_LIMITS,
      maxBytesPerFile: maxBytes,
      ...(env.IDOLENS_DOWNLOAD_TIMEOUT_SECONDS === undefined ? {} : { downloadTimeoutMs: env.IDOLENS_DOWNLOAD_TIMEOUT_SECONDS * 1000 }),
    },
    allowPrivateNetwork: env.IDOLENS_ALLOW_PRIVATE_URLS === '1' || env.IDOLENS_ALLOW_PRIVATE_URLS === 'true',
    videoLimits: {
      ...DEFAULT_VIDEO_LIMITS,
      maxBytes: env.IDOLENS_MAX_VIDEO_BYTES ?? DEFAULT_VIDEO_LIMITS.maxBytes,
      maxSeconds: env.IDOLENS_MAX_VIDEO_SECONDS ?? DEFAULT_VIDEO_LIMITS.maxSeconds,
      maxPixels: env.IDOLENS_MAX_VIDEO_PIXELS ?? DEFAULT_VIDEO_LIMITS.maxPixels,
      timeoutSeconds: env.IDOLENS_VIDEO_TIMEOUT_SECONDS ?? DEFAULT_VIDEO_LIMITS.timeoutSeconds,
    },
    mediaTools: { ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH },
    redisUrl: env.REDIS_URL,
    queueWaitSeconds: env.IDOLENS_QUEUE_WAIT_SECONDS,
    redisPrefix: env.IDOLENS_REDIS_PREFIX,
    localWorkers: env.REDIS_URL === undefined || env.IDOLENS_LOCAL_WORKERS === '1' || env.IDOLENS_LOCAL_WORKERS === 'true',
    mediaHosts: env.IDOLENS_MEDIA_HOSTS.split(',').map((host) => host.trim().toLowerCase()).filter((host) => host.length > 0),
    jobs: {
      concurrency: { identify: env.IDOLENS_IDENTIFY_CONCURRENCY ?? workers, annotate: env.IDOLENS_ANNOTATE_CONCURRENCY, enroll: 1, import: 1, train: 1, group: 4, search: 1, correct: 1, pack: 1 },
      attempts: env.IDOLENS_JOB_ATTEMPTS,
      retryDelayMs: env.IDOLENS_RETRY_DELAY_MS,
      trainDebounceMs: env.IDOLENS_TRAIN_DEBOUNCE_SECONDS * 1000,
      lockMs: env.IDOLENS_JOB_LOCK_SECONDS * 1000,
    },
    limits: {
      maxQueuedJobs: env.IDOLENS_MAX_QUEUED_PER_SERVER,
      maxAnnotateJobs: env.IDOLENS_MAX_ANNOTATE_PER_SERVER,
      clipSecondsPerDay: env.IDOLENS_CLIP_MINUTES_PER_DAY * 60,
      correctionsPerHour: env.IDOLENS_CORRECTIONS_PER_HOUR,
    },
    shutdownGraceMs: env.IDOLENS_SHUTDOWN_GRACE_SECONDS * 1000,
    outboxDir: path.resolve(env.IDOLENS_OUTBOX ?? path.join(dataDir, 'outbox')),
    discord: env.DISCORD_TOKEN === undefined ? undefined : {
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiRoot: env.DISCORD_API_ROOT.replace(/\/+$/, ''),
      devGuildId: env.DISCORD_DEV_GUILD_ID,
      defaultUploadLimitBytes: env.DISCORD_UPLOAD_LIMIT_BYTES ?? DISCORD_BASE_UPLOAD_LIMIT_BYTES,
    },
    telegram: telegramSettings(env),
    search: {
      provider: env.IDOLENS_SEARCH_PROVIDER,
      commons: { apiUrl: env.COMMONS_API_URL },
      brave: { apiUrl: env.BRAVE_SEARCH_API_URL, apiKey: env.BRAVE_SEARCH_API_KEY },
      google: { apiUrl: env.GOOGLE_SEARCH_API_URL, apiKey: env.GOOGLE_SEARCH_API_KEY, engineId: env.GOOGLE_SEARCH_ENGINE_ID },
      hostIntervalMs: env.IDOLENS_SEARCH_HOST_INTERVAL_MS,
      concurrency: env.IDOLENS_SEARCH_CONCURRENCY,
    },
  };
}

function telegramSettings(env: z.infer<typeof environmentSchema>): TelegramSettings | undefined {
  if (env.TELEGRAM_TOKEN === undefined) return undefined;
  if (env.TELEGRAM_WEBHOOK_URL !== undefined && env.TELEGRAM_WEBHOOK_SECRET === undefined) {
    throw new ConfigError('Invalid configuration: TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL (Telegram sends it with every update, so others cannot post fake ones).');
  }
  return {
    token: env.TELEGRAM_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    downloadLimitBytes: env.TELEGRAM_DOWNLOAD_LIMIT_BYTES ?? TELEGRAM_DOWNLOAD_LIMIT_BYTES,
    uploadLimitBytes: env.TELEGRAM_UPLOAD_LIMIT_BYTES ?? TELEGRAM_UPLOAD_LIMIT_BYTES,
    webhook: env.TELEGRAM_WEBHOOK_URL === undefined || env.TELEGRAM_WEBHOOK_SECRET === undefined ? undefined : {
      url: env.TELEGRAM_WEBHOOK_URL, secret: env.TELEGRAM_WEBHOOK_SECRET, port: env.TELEGRAM_WEBHOOK_PORT, host: env.TELEGRAM_WEBHOOK_HOST,
    },
  };
}
