/**
 * A group pack's `manifest.json`: what the pack says it holds. Every sample names its two entries (the face crop
 * and the descriptor); the landmarks and provenance sit here. Nothing in it is trusted before `validatePack`.
 */
import { z } from 'zod';

export const PACK_FORMAT = 'idolens-group-pack';
export const PACK_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';
export const LANDMARK_COUNT = 68;

const text = (max: number) => z.string().min(1).max(max);
const finite = z.number().finite();
const entryName = z.string().regex(/^samples\/[0-9]{1,6}\.(?:jpg|png|f32)$/, 'a samples/NNNN.jpg, .png or .f32 entry name');

const provenanceSchema = z.strictObject({
  source: text(500),
  addedBy: text(200),
  addedAt: z.iso.datetime(),
  page: text(2000).exactOptional(),
  licence: text(300).exactOptional(),
  author: text(300).exactOptional(),
  /** A fan's correction an admin approved: who suggested it and who approved it (platform ids). */
  suggestedBy: z.array(text(200)).min(1).max(100).exactOptional(),
  approvedBy: text(200).exactOptional(),
});

const sampleSchema = z.strictObject({
  crop: entryName,
  descriptor: entryName,
  /** The 68 landmarks in the crop's pixels, as [x, y]. */
  landmarks: z.array(z.tuple([finite, finite])).length(LANDMARK_COUNT),
  /** sha256 of the original photo (never the photo): a later enroll of the same file is still found a duplicate. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  box: z.strictObject({ x: finite, y: finite, width: finite.nonnegative(), height: finite.nonnegative() }),
  detectionScore: finite.min(0).max(1),
  sharpness: finite.nonnegative(),
  flagged: z.boolean(),
  flagReason: text(500).exactOptional(),
  provenance: provenanceSchema,
});

const memberSchema = z.strictObject({ name: text(80), samples: z.array(sampleSchema).min(1) });

export const manifestSchema = z.strictObject({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  embedder: z.strictObject({ id: text(200), dimensions: z.number().int().min(16).max(4096) }),
  group: text(80),
  createdAt: z.iso.datetime(),
  /** Only when the exporting admin chose to name the server the pack comes from. */
  sourceName: text(100).exactOptional(),
  /** What the pack holds, said twice on purpose: a pack whose counts and lists disagree is refused. */
  counts: z.strictObject({ members: z.number().int().nonnegative(), samples: z.number().int().nonnegative() }),
  /** Samples of the group that kept no face crop and so are not in the pack. */
  leftOut: z.number().int().nonnegative(),
  members: z.array(memberSchema),
});

export type PackManifest = z.infer<typeof manifestSchema>;
export type PackMember = PackManifest['members'][number];
export type PackSample = PackMember['samples'][number];
export type PackProvenance = PackSample['provenance'];
