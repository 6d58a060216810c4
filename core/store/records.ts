import type { OutputSize } from '../output-size.ts';
import type { Box, Point } from '../types.ts';

/** Where a sample came from, for audits and for undoing a bad enroll. */
export interface Provenance {
  /** e.g. a file name, a URL or `archive.zip/Jennie/01.jpg`. */
  source: string;
  /** Who enrolled it (a user id on the platform, or `cli`). */
  addedBy: string;
  /** ISO 8601 time. */
  addedAt: string;
  /** For photos found by an image search: the page it is on, its licence and author when the provider said. */
  page?: string;
  licence?: string;
  author?: string;
  /** For a fan's correction an admin accepted: who suggested it (platform ids) and who approved it. */
  suggestedBy?: string[];
  approvedBy?: string;
}

/**
 * The face levelled and cropped with room around it (a JPEG), and its 68 landmarks in the crop's pixels: enough for
 * any embedder to describe the face again without the original photo.
 */
export interface FaceCropRecord {
  jpeg: Buffer;
  landmarks: Point[];
}

/** One enrolled face of one member. */
export interface SampleRecord {
  id: string;
  memberKey: string;
  embedding: Float32Array;
  /** The embedder that produced `embedding` (see `EmbedderInfo.id`). */
  embedderId: string;
  /** A small JPEG crop of the face, for contact sheets. */
  thumbnailJpeg: Buffer;
  /** Absent on samples enrolled before crops were kept: those cannot be re-embedded. */
  faceCrop?: FaceCropRecord;
  /** sha256 hex of the original file bytes, for exact-duplicate detection. */
  contentHash: string;
  box: Box;
  detectionScore: number;
  sharpness: number;
  /** A flagged sample looks unlike the member's others (maybe another person): it is used, but shown for review. */
  flagged: boolean;
  flagReason?: string;
  provenance: Provenance;
}

/** What a caller hands to `addSamples`: the store assigns `id` and `memberKey`. */
export type NewSample = Omit<SampleRecord, 'id' | 'memberKey'>;

export interface MemberRecord {
  /** `nameKey(name)`: the case-insensitive lookup key. */
  key: string;
  /** The display name, as first enrolled. */
  name: string;
  /** In enrollment order; the 1-based position is the sample number on the contact sheet. */
  sampleIds: string[];
  createdAt: string;
}

/** Per-group overrides; every field is optional and absent means "use the default". */
export interface GroupSettings {
  /** Strictness 0..1: how sure a match must be before a face is called by name rather than "unknown". */
  unknownThreshold?: number;
}

/** A settings change: a value sets the field, `null` resets it to the default. */
export type GroupSettingsPatch = { [K in keyof GroupSettings]?: GroupSettings[K] | null };

/** Per-server choices; absent fields mean the defaults. */
export interface ServerSettings {
  /** The key of the group commands use when none is named (when it still exists). */
  defaultGroup?: string;
  outputSize?: OutputSize;
}

/** A value sets the field, `null` resets it. `defaultGroup` here is a group's name. */
export type ServerSettingsPatch = { [K in keyof ServerSettings]?: ServerSettings[K] | null };

export interface GroupRecord {
  key: string;
  name: string;
  createdAt: string;
  /** Increases on every change of members, samples or flags; a model trained on another revision is stale. */
  revision: number;
  members: MemberRecord[];
  settings: GroupSettings;
  /** The request that created or last renamed the group: a retry of that same request finds its work done. */
  changedBy?: string;
}

/** A trained model as stored: the classifier owns the shape of `payload` (it must be JSON-serialisable). */
export interface StoredModel<T> {
  groupRevision: number;
  payload: T;
}

/** Where an exact duplicate was found. */
export interface SampleLocation {
  member: MemberRecord;
  /** 1-based, as on the member's contact sheet. */
  sampleNumber: number;
  sample: SampleRecord;
}

/** A fan who said who a face is: platform id, the name shown for them, when. */
export interface SuggestingFan {
  user: string;
  name: string;
  at: string;
}

/**
 * A fan's correction of an answer, waiting for an admin: the corrected face's crop and descriptor (nothing else of
 * the picture is kept) and who said it. `member` null: "someone else, not in the group".
 */
export interface SuggestionRecord {
  /** Per group, from 1, never reused: what admins accept or leave out by. */
  number: number;
  member: string | null;
  /** The name the answer showed (null: unknown). */
  shownAs: string | null;
  sample: NewSample;
  /** The first is the one who suggested it; the rest agreed independently. */
  fans: SuggestingFan[];
  answerId: string;
  face: number;
  /** Why an admin should look twice (e.g. the face is already a photo of another member). */
  flag?: string;
}

/** What fans said about answers, per member key: confirmed by "yes", corrected away from, and mixed-up pairs. */
export interface FeedbackTally {
  confirmed: Record<string, number>;
  corrected: Record<string, number>;
  /** Keyed by the two member keys, sorted, joined with "|". */
  confusions: Record<string, number>;
}

export interface FeedbackRecord {
  nextNumber: number;
  suggestions: SuggestionRecord[];
  tally: FeedbackTally;
}

/** Nothing said yet: no record need be kept. */
export function isEmptyFeedback(record: FeedbackRecord): boolean {
  const { tally } = record;
  return record.nextNumber === 1 && record.suggestions.length === 0 && [tally.confirmed, tally.corrected, tally.confusions].every((counts) => Object.keys(counts).length === 0);
}

export function emptyFeedback(): FeedbackRecord {
  return { nextNumber: 1, suggestions: [], tally: { confirmed: {}, corrected: {}, confusions: {} } };
}
