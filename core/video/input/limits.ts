import type { VideoLimits } from '../types.ts';

/** Defaults for untrusted clips: a few minutes of up-to-4K video, a handful of streams. */
export const DEFAULT_VIDEO_LIMITS: Readonly<VideoLimits> = Object.freeze({
  maxBytes: 512 * 1024 * 1024,
  maxSeconds: 300,
  maxPixels: 3840 * 2160,
  maxSide: 4096,
  maxStreams: 8,
  timeoutSeconds: 600,
});
