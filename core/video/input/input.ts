import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IdolensError } from '../../errors.ts';
import { formatSize } from '../../format.ts';
import { readFromStart } from '../../media/read-file.ts';
import { describeNonVideo, sniffVideoContainer, VIDEO_SNIFF_BYTES } from './sniff.ts';
import type { VideoContainer, VideoLimits } from '../types.ts';

/** A clip staged for ffmpeg: `path` is our own link to it, `container` what its bytes say it is. */
export interface StagedVideo {
  path: string;
  container: VideoContainer;
  bytes: number;
}

const DEMUXERS: Readonly<Record<VideoContainer, string>> = {
  mp4: 'mov',
  matroska: 'matroska',
  avi: 'avi',
  mpegts: 'mpegts',
  gif: 'gif',
};

const EXTENSIONS: Readonly<Record<VideoContainer, string>> = {
  mp4: 'mp4',
  matroska: 'mkv',
  avi: 'avi',
  mpegts: 'ts',
  gif: 'gif',
};

/** The one ffmpeg demuxer a container is opened with; ffmpeg never guesses the format itself. */
export function demuxerFor(container: VideoContainer): string {
  return DEMUXERS[container];
}

/**
 * The input half of every ffmpeg/ffprobe command line. Local files and pipes only (no network, no nested
 * protocols), the demuxer forced and alone on the allowlist (so an HLS playlist or a concat list can never be
 * opened as one), and for MP4/MOV external data references (a track whose samples live in another file) off.
 */
export function hardenedInputArgs(container: VideoContainer, stagedPath: string): string[] {
  const demuxer = demuxerFor(container);
  const movOnly = container === 'mp4' ? ['-enable_drefs', '0', '-use_absolute_path', '0'] : [];
  return ['-protocol_whitelist', 'file,pipe', '-format_whitelist', demuxer, ...movOnly, '-f', demuxer, '-i', `file:${stagedPath}`];
}

/**
 * Checks the user's file without trusting its name (a regular file, not empty, within the byte limit, a
 * container we read), then links it into `workDir` as `input.<ext>` so ffmpeg only ever sees our own path.
 */
export async function prepareVideoInput(source: string, workDir: string, limits: VideoLimits): Promise<StagedVideo> {
  const absolute = path.resolve(source);
  const info = await statSource(absolute);
  assertReadableSize(info, limits);
  const target = await realpath(absolute).catch((error: unknown) => {
    throw accessError(error);
  });
  const head = await readHead(target, info);
  const container = sniffVideoContainer(head);
  if (container === null) {
    const reason = describeNonVideo(head);
    throw new IdolensError('unsupported_video', reason);
  }
  const linkPath = path.join(path.resolve(workDir), `input.${EXTENSIONS[container]}`);
  await unlink(linkPath).catch(() => undefined);
  await symlink(target, linkPath);
  return { path: linkPath, container, bytes: info.size };
}

async function statSource(file: string): Promise<Stats> {
  const info = await stat(file).catch((error: unknown) => {
    throw accessError(error);
  });
  if (info.isDirectory()) throw new IdolensError('not_found', 'That is a folder, not a video file.');
  if (!info.isFile()) throw new IdolensError('not_found', 'That is not a regular file (a pipe, socket or device), so I will not read it.');
  return info;
}

function assertReadableSize(info: Stats, limits: VideoLimits): void {
  if (info.size === 0) throw new IdolensError('empty_file');
  if (info.size > limits.maxBytes) {
    throw new IdolensError('video_too_large', `This file is ${formatSize(info.size)}; the limit is ${formatSize(limits.maxBytes)}.`, {
      bytes: info.size,
      maxBytes: limits.maxBytes,
    });
  }
}

/**
 * Reads the first bytes. Opened non-blocking so that a file swapped for a FIFO after `stat` cannot hang us,
 * and checked again once open: it must still be the same regular file.
 */
async function readHead(file: string, checked: Stats): Promise<Uint8Array> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw accessError(error);
  });
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== checked.ino || opened.dev !== checked.dev) {
      throw new IdolensError('not_found', 'The file changed while I was reading it.');
    }
    return await readFromStart(handle, Math.min(VIDEO_SNIFF_BYTES, opened.size));
  } finally {
    await handle.close();
  }
}

function accessError(error: unknown): IdolensError {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code === 'EACCES' || code === 'EPERM') {
    return new IdolensError('not_found', 'I am not allowed to read that file.', { reason: code }, { cause: error });
  }
  return new IdolensError('not_found', undefined, code === undefined ? {} : { reason: code }, { cause: error });
}
