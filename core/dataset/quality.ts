/**
 * Enrollment quality rules that do not depend on the embedder, in original-image pixels and levelled-chip units.
 * Measured on ../shared/faces (see README); the descriptor distances are per embedder (faces/profiles.ts).
 */
export const ENROLL_QUALITY = {
  /** Narrower faces give descriptors too unreliable to learn from (about 5% of the shared photos). */
  minFaceWidth: 36,
  /** Variance of the chip's Laplacian; 1% of the shared photos fall below 3, sharp ones are in the hundreds. */
  minSharpness: 20,
  /** Faces smaller than this fraction of the largest face's width are background people, not candidates. */
  backgroundFaceRatio: 0.45,
} as const;
