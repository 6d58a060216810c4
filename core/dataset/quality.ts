/** Enrollment quality rules, in original-image pixels and chip units. Measured on ../shared/faces (see README). */
export const ENROLL_QUALITY = {
  /** Narrower faces give descriptors too unreliable to learn from (about 5% of the shared photos). */
  minFaceWidth: 36,
  /** Variance of the chip's Laplacian; 1% of the shared photos fall below 3, sharp ones are in the hundreds. */
  minSharpness: 20,
  /** Faces smaller than this fraction of the largest face's width are background people, not candidates. */
  backgroundFaceRatio: 0.45,
  /** Descriptor distance under which two photos are the same shot (resized, recompressed, cropped). */
  nearDuplicateDistance: 0.12,
  /** A face in a multi-face photo is "the member" when this close to the member's samples… */
  memberMatchDistance: 0.5,
  /** …and the next face is at least this much farther. */
  memberMatchLead: 0.08,
  /** A new sample farther than this from every other sample of its member is flagged for review. */
  outlierDistance: 0.55,
} as const;
