/**
 * Records as stored: plain JSON with an explicit `schema` version, binary data as base64.
 * Decoding validates the shape so a damaged or foreign record fails loudly instead of spreading.
 */
import { z } from 'zod';
import { IdolensError } from '../errors.ts';
import { OUTPUT_SIZES } from '../output-size.ts';
import type { GroupRecord, NewSample, SampleRecord, ServerSettings, StoredModel } from './records.ts';

export const SCHEMA_VERSION = 1;

const schemaVersion = z.literal(SCHEMA_VERSION);
const isoTime = z.string().min(1);

const storedMember = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  sampleIds: z.array(z.string().min(1)),
  createdAt: isoTime,
});

const storedGroup = z.object({
  schema: schemaVersion,
  key: z.string().min(1),
  name: z.string().min(1),
  createdAt: isoTime,
  revision: z.number().int().nonnegative(),
  members: z.array(storedMember),
  settings: z.object({ unknownThreshold: z.number().min(0).max(1).exactOptional() }),
  changedBy: z.string().min(1).exactOptional(),
});

/** A sample's own fields, before it has an id and a member (the pending sets of image searches keep these). */
const storedSampleBody = z.object({
  embedding: z.base64(),
  embedderId: z.string().min(1),
  thumbnailJpeg: z.base64(),
  faceCrop: z.object({ jpeg: z.base64(), landmarks: z.array(z.number()).length(136) }).exactOptional(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  detectionScore: z.number(),
  sharpness: z.number(),
  flagged: z.boolean(),
  flagReason: z.string().exactOptional(),
  provenance: z.object({
    source: z.string(), addedBy: z.string(), addedAt: isoTime, page: z.string().exactOptional(), licence: z.string().exactOptional(), author: z.string().exactOptional(),
    suggestedBy: z.array(z.string()).exactOptional(), approvedBy: z.string().exactOptional(),
  }),
});

const storedSample = storedSampleBody.extend({ schema: schemaVersion, id: z.string().min(1), memberKey: z.string().min(1) });

const storedIndex = z.object({ schema: schemaVersion, groupKeys: z.array(z.string().min(1)) });

const storedServerSettings = z.object({
  schema: schemaVersion,
  defaultGroup: z.string().min(1).exactOptional(),
  outputSize: z.enum(OUTPUT_SIZES).exactOptional(),
});

const storedModel = z.object({ schema: schemaVersion, groupRevision: z.number().int().nonnegative(), payload: z.unknown() });

export type StoredGroupJson = z.infer<typeof storedGroup>;
export type StoredSampleJson = z.infer<typeof storedSample>;
export type StoredIndexJson = z.infer<typeof storedIndex>;
export type StoredModelJson = z.infer<typeof storedModel>;

export function parseStored<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new IdolensError('internal', `Record ${key} is damaged or has an unknown schema (${where}: ${issue?.message ?? 'invalid'}).`, { key });
  }
  return result.data;
}

/** Little-endian float32 bytes, so files move between machines unchanged. */
export function float32ToBase64(values: Float32Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

export function base64ToFloat32(text: string, key: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new IdolensError('internal', `Stored embedding in ${key} has a partial float.`, { key });
  const values = new Float32Array(bytes.length / 4);
  for (let index = 0; index < values.length; index += 1) values[index] = bytes.readFloatLE(index * 4);
  return values;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function pairsToPoints(values: readonly number[]): { x: number; y: number }[] {
  return Array.from({ length: values.length / 2 }, (_, index) => ({ x: values[2 * index] ?? 0, y: values[2 * index + 1] ?? 0 }));
}

export function encodeGroup(group: GroupRecord): StoredGroupJson {
  const json: StoredGroupJson = {
    schema: SCHEMA_VERSION,
    key: group.key,
    name: group.name,
    createdAt: group.createdAt,
    revision: group.revision,
    members: group.members.map((member) => ({ key: member.key, name: member.name, sampleIds: [...member.sampleIds], createdAt: member.createdAt })),
    settings: { ...group.settings },
    ...(group.changedBy === undefined ? {} : { changedBy: group.changedBy }),
  };
  return parseStored(storedGroup, json, `group ${group.key}`);
}

export function decodeGroup(value: unknown, key: string): GroupRecord {
  const { key: groupKey, name, createdAt, revision, members, settings, changedBy } = parseStored(storedGroup, value, key);
  return { key: groupKey, name, createdAt, revision, members, settings, ...(changedBy === undefined ? {} : { changedBy }) };
}

function sampleBodyJson(sample: NewSample): z.infer<typeof storedSampleBody> {
  const { box, provenance } = sample;
  return {
    embedding: float32ToBase64(sample.embedding),
    embedderId: sample.embedderId,
    thumbnailJpeg: sample.thumbnailJpeg.toString('base64'),
    ...(sample.faceCrop === undefined ? {} : { faceCrop: { jpeg: sample.faceCrop.jpeg.toString('base64'), landmarks: sample.faceCrop.landmarks.flatMap((point) => [round2(point.x), round2(point.y)]) } }),
    contentHash: sample.contentHash,
    box: { x: box.x, y: box.y, width: box.width, height: box.height },
    detectionScore: sample.detectionScore,
    sharpness: sample.sharpness,
    flagged: sample.flagged,
    ...(sample.flagReason === undefined ? {} : { flagReason: sample.flagReason }),
    provenance: {
      source: provenance.source, addedBy: provenance.addedBy, addedAt: provenance.addedAt,
      ...(provenance.page === undefined ? {} : { page: provenance.page }),
      ...(provenance.licence === undefined ? {} : { licence: provenance.licence }),
      ...(provenance.author === undefined ? {} : { author: provenance.author }),
      ...(provenance.suggestedBy === undefined ? {} : { suggestedBy: [...provenance.suggestedBy] }),
      ...(provenance.approvedBy === undefined ? {} : { approvedBy: provenance.approvedBy }),
    },
  };
}

function sampleBodyOf(stored: z.infer<typeof storedSampleBody>, key: string): NewSample {
  return {
    embedding: base64ToFloat32(stored.embedding, key),
    embedderId: stored.embedderId,
    thumbnailJpeg: Buffer.from(stored.thumbnailJpeg, 'base64'),
    ...(stored.faceCrop === undefined ? {} : { faceCrop: { jpeg: Buffer.from(stored.faceCrop.jpeg, 'base64'), landmarks: pairsToPoints(stored.faceCrop.landmarks) } }),
    contentHash: stored.contentHash,
    box: stored.box,
    detectionScore: stored.detectionScore,
    sharpness: stored.sharpness,
    flagged: stored.flagged,
    ...(stored.flagReason === undefined ? {} : { flagReason: stored.flagReason }),
    provenance: stored.provenance,
  };
}

/** Throws before anything is written if the sample could not be read back (e.g. a NaN score). */
export function encodeSample(sample: SampleRecord): StoredSampleJson {
  return parseStored(storedSample, { schema: SCHEMA_VERSION, id: sample.id, memberKey: sample.memberKey, ...sampleBodyJson(sample) }, `sample ${sample.id}`);
}

export function decodeSample(value: unknown, key: string): SampleRecord {
  const stored = parseStored(storedSample, value, key);
  return { id: stored.id, memberKey: stored.memberKey, ...sampleBodyOf(stored, key) };
}

/** A sample not yet enrolled (no id, no member), checked the same way. */
export function encodeNewSample(sample: NewSample, where: string): z.infer<typeof storedSampleBody> {
  return parseStored(storedSampleBody, sampleBodyJson(sample), where);
}

export function decodeNewSample(value: unknown, key: string): NewSample {
  return sampleBodyOf(parseStored(storedSampleBody, value, key), key);
}

export function encodeIndex(groupKeys: readonly string[]): StoredIndexJson {
  return { schema: SCHEMA_VERSION, groupKeys: [...groupKeys] };
}

export function decodeIndex(value: unknown, key: string): string[] {
  return parseStored(storedIndex, value, key).groupKeys;
}

export function encodeModel<T>(model: StoredModel<T>): StoredModelJson {
  return { schema: SCHEMA_VERSION, groupRevision: model.groupRevision, payload: model.payload };
}

/** The payload is opaque here: the classifier that wrote it checks its own shape. */
export function decodeModel<T>(value: unknown, key: string): StoredModel<T> {
  const { groupRevision, payload } = parseStored(storedModel, value, key);
  return { groupRevision, payload: payload as T };
}

export function encodeServerSettings(settings: ServerSettings): z.infer<typeof storedServerSettings> {
  return parseStored(storedServerSettings, { schema: SCHEMA_VERSION, ...settings }, 'server settings');
}

export function decodeServerSettings(value: unknown, key: string): ServerSettings {
  const { schema: _schema, ...settings } = parseStored(storedServerSettings, value, key);
  return settings;
}
