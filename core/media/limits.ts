import type { MediaLimits } from '../types.ts';

/**
 * Safe defaults for untrusted uploads. sharp's own pixel limit (about 268 megapixels) would let a
 * tiny, highly compressed PNG expand into roughly 800 MB of RGB, so we cap far lower.
 */
export const DEFAULT_MEDIA_LIMITS: Readonly<MediaLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
  minSide: 32,
  maxAnalysisSide: 2048,
});
