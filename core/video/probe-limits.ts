import { IdolensError } from '../errors.ts';
import type { VideoLimits } from './types.ts';

/** `372.4` → `6 min 12 s`, `300` → `5 min`, `4.2` → `4.2 s`, `3725` → `1 h 2 min 5 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const parts = [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', rest > 0 ? `${rest} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** Bytes in MiB (one decimal under 10 MiB), or KiB for small files. */
export function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib < 0.1) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  return `${mib >= 10 ? mib.toFixed(0) : mib.toFixed(1)} MiB`;
}

export function assertStreamCount(streams: number, limits: VideoLimits): void {
  if (streams <= limits.maxStreams) return;
  throw new IdolensError(
    'too_many_streams',
    `This file has ${streams} tracks (video, sound, subtitles or data); the limit is ${limits.maxStreams}.`,
    { streams, maxStreams: limits.maxStreams },
  );
}

export function assertDuration(seconds: number, limits: VideoLimits): void {
  if (seconds <= limits.maxSeconds) return;
  throw new IdolensError(
    'video_too_long',
    `This clip is ${formatDuration(seconds)} long; the limit is ${formatDuration(limits.maxSeconds)}.`,
    { seconds: Math.round(seconds * 1000) / 1000, maxSeconds: limits.maxSeconds },
  );
}

export function assertFrameSize(width: number, height: number, limits: VideoLimits): void {
  const pixels = width * height;
  if (pixels <= limits.maxPixels && Math.max(width, height) <= limits.maxSide) return;
  const megapixels = (count: number): string => `${Number((count / 1e6).toFixed(1))} megapixels`;
  throw new IdolensError(
    'video_too_large',
    `This clip's picture is ${width}×${height} (${megapixels(pixels)}); the limit is ${megapixels(limits.maxPixels)} `
      + `with no side over ${limits.maxSide} pixels.`,
    { width, height, maxPixels: limits.maxPixels, maxSide: limits.maxSide },
  );
}
