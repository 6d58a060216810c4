/** How big a pack may be before it is opened, and what it may unpack to: caps against zip bombs and absurd groups. */
export interface PackLimits {
  /** The pack file itself. */
  maxPackBytes: number;
  /** Entries in the zip's directory (a manifest plus two per sample). */
  maxEntries: number;
  /** One face crop or descriptor, unpacked. */
  maxEntryBytes: number;
  /** The manifest, unpacked (landmarks of every sample live there). */
  maxManifestBytes: number;
  /** All entries together, unpacked. */
  maxTotalBytes: number;
  /** Unpacked over packed size of one entry: JPEG crops hardly compress, JSON about 4 times; bombs a thousand. */
  maxCompressionRatio: number;
  maxMembers: number;
  maxSamplesPerMember: number;
  maxSamples: number;
  /** A face crop's side in pixels (ours are 256). */
  minCropSide: number;
  maxCropSide: number;
}

export const PACK_LIMITS: PackLimits = {
  maxPackBytes: 200 * 1024 * 1024,
  maxEntries: 2 * 10_000 + 1,
  maxEntryBytes: 2 * 1024 * 1024,
  maxManifestBytes: 32 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 50,
  maxMembers: 200,
  maxSamplesPerMember: 500,
  maxSamples: 10_000,
  minCropSide: 64,
  maxCropSide: 1024,
};

/** Entries smaller than this are not held to the ratio (a short descriptor of zeros compresses well and is harmless). */
export const RATIO_EXEMPT_BYTES = 4096;
