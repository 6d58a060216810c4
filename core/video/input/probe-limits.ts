import { IdolensError } from '../../errors.ts';
import { formatDurationRounded } from '../../format.ts';
import type { VideoLimits } from '../types.ts';

export function assertStreamCount(streams: number, limits: VideoLimits): void {
  if (streams <= limits.maxStreams) return;
  throw new IdolensError(
    'too_many_streams',
    `This file has ${streams} tracks (video, sound, subtitles or data); the limit is ${limits.maxStreams}.`,
    { streams, maxStreams: limits.maxStreams },
  );
}

/**
 * Containers announce a little more than the picture lasts (the last audio frame's padding): a clip cut to
 * exactly the limit is often a few hundredths over it, and is let through. Past this, the rounded lengths in
 * the message differ too.
 */
const DURATION_TOLERANCE_SECONDS = 0.5;

export function assertDuration(seconds: number, limits: VideoLimits): void {
  if (seconds <= limits.maxSeconds + DURATION_TOLERANCE_SECONDS) return;
  throw new IdolensError(
    'video_too_long',
    `This clip is ${formatDurationRounded(seconds)} long; the limit is ${formatDurationRounded(limits.maxSeconds)}.`,
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
