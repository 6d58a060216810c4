/**
 * A server's choice of answer size: smaller pictures and clips load faster on phones. Absent means the largest
 * the platform takes (the upload budget still applies).
 */
export const OUTPUT_SIZES = ['small', 'medium', 'large'] as const;
export type OutputSize = (typeof OUTPUT_SIZES)[number];

export interface OutputSizeLimits {
  /** The labelled picture's longer side, in pixels. */
  pictureSide: number;
  /** The labelled clip's shorter side (its "p" number: 720 for 1280×720). */
  clipShortSide: number;
}

export const OUTPUT_SIZE_LIMITS: Record<OutputSize, OutputSizeLimits> = {
  small: { pictureSide: 1280, clipShortSide: 480 },
  medium: { pictureSide: 1920, clipShortSide: 720 },
  large: { pictureSide: 2560, clipShortSide: 1080 },
};

export function describeOutputSize(size: OutputSize | undefined): string {
  if (size === undefined) return 'original (as large as the upload limit allows)';
  const limits = OUTPUT_SIZE_LIMITS[size];
  return `${size} (pictures up to ${limits.pictureSide} px, clips up to ${limits.clipShortSide}p)`;
}
