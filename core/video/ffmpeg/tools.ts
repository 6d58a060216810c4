import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../logger.ts';

/** Where an ffmpeg or ffprobe binary came from. */
export type ToolSource = 'env' | 'ffmpeg-static' | 'npm-installer' | 'system';

export interface ToolBinary {
  path: string;
  source: ToolSource;
  /** Environment the binary needs on top of ours. */
  env: Readonly<Record<string, string>>;
}

/**
 * The static ffprobe inside @ffprobe-installer crashes in its iconv set-up on every MPEG-TS file unless GCONV_PATH
 * is set (to anything): it then uses its built-in conversions.
 */
const STATIC_BUILD_ENV: Readonly<Record<string, string>> = Object.freeze({ GCONV_PATH: '/nonexistent-gconv' });

export interface MediaTools {
  ffmpeg: ToolBinary;
  ffprobe: ToolBinary;
}

/** Paths the operator set (FFMPEG_PATH / FFPROBE_PATH); they win over everything else. */
export interface MediaToolSettings {
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
}

const require = createRequire(import.meta.url);

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A package that exports a binary path (ffmpeg-static exports the string, the installers `{ path }`). */
function packagedBinary(specifier: string): string | undefined {
  try {
    const exported: unknown = require(specifier);
    const candidate = typeof exported === 'string' ? exported : (exported as { path?: unknown } | null)?.path;
    return typeof candidate === 'string' && isExecutable(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function onSystemPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

export class MediaToolsMissingError extends Error {
  override readonly name = 'MediaToolsMissingError';
}

function pick(name: 'ffmpeg' | 'ffprobe', explicit: string | undefined, packages: { specifier: string; source: ToolSource }[]): ToolBinary {
  if (explicit !== undefined) {
    if (!isExecutable(explicit)) throw new MediaToolsMissingError(`${name.toUpperCase()}_PATH is set to ${explicit}, which is not an executable file`);
    return { path: explicit, source: 'env', env: {} };
  }
  for (const { specifier, source } of packages) {
    const found = packagedBinary(specifier);
    if (found !== undefined) return { path: found, source, env: source === 'npm-installer' ? STATIC_BUILD_ENV : {} };
  }
  const system = onSystemPath(name);
  if (system !== undefined) return { path: system, source: 'system', env: {} };
  throw new MediaToolsMissingError(`no ${name} found: install the npm dependencies, set ${name.toUpperCase()}_PATH, or install ffmpeg`);
}

/**
 * The one place that decides which ffmpeg and ffprobe run: FFMPEG_PATH/FFPROBE_PATH when set, else ffmpeg-static
 * (an optional dependency whose install needs the internet), else the binaries shipped inside
 * @ffmpeg-installer/@ffprobe-installer, else the system's.
 */
export function resolveMediaTools(settings: MediaToolSettings): MediaTools {
  return {
    ffmpeg: pick('ffmpeg', settings.ffmpegPath, [
      { specifier: 'ffmpeg-static', source: 'ffmpeg-static' },
      { specifier: '@ffmpeg-installer/ffmpeg', source: 'npm-installer' },
    ]),
    ffprobe: pick('ffprobe', settings.ffprobePath, [{ specifier: '@ffprobe-installer/ffprobe', source: 'npm-installer' }]),
  };
}

/** Resolves the tools on first use and logs the choice once. */
export function lazyMediaTools(settings: MediaToolSettings, logger: Logger): () => MediaTools {
  let tools: MediaTools | undefined;
  return () => {
    if (tools === undefined) {
      tools = resolveMediaTools(settings);
      logger.info({ ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe }, 'media tools chosen');
    }
    return tools;
  };
}
