/**
 * Checks a pack's entries against its manifest before anything is described or written: the manifest's schema, its
 * caps (members, photos), its counts against its lists and its lists against the zip's files (each named once, none
 * missing, none extra), the names, the descriptors' sizes and the crops' headers. The first problem refuses the pack.
 */
import sharp from 'sharp';
import type { z } from 'zod';
import { displayName, nameKey } from '../store/index.ts';
import type { EmbedderInfo } from '../types.ts';
import { descriptorFromBytes } from './descriptor-bytes.ts';
import type { PackLimits } from './limits.ts';
import { MANIFEST_NAME, manifestSchema, type PackManifest, type PackSample } from './manifest.ts';
import { packInvalid, packTooLarge, quoted } from './pack-zip.ts';

export interface CheckedSample {
  sample: PackSample;
  /** Who and which photo, for refusals: "Jennie's photo #3". */
  label: string;
  cropBytes: Buffer;
  cropSide: number;
  descriptor: Float32Array;
}

export interface CheckedMember {
  name: string;
  samples: CheckedSample[];
}

export interface CheckedPack {
  manifest: PackManifest;
  members: CheckedMember[];
}

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function validatePack(entries: ReadonlyMap<string, Buffer>, limits: PackLimits, current: EmbedderInfo): Promise<CheckedPack> {
  const manifest = parseManifest(entries, limits);
  checkCounts(manifest);
  checkEntryList(manifest, entries);
  checkNames(manifest);
  if (manifest.embedder.id === current.id && manifest.embedder.dimensions !== current.dimensions) {
    throw packInvalid(`its manifest says ${manifest.embedder.id} descriptors have ${manifest.embedder.dimensions} values; they have ${current.dimensions}.`);
  }
  const members: CheckedMember[] = [];
  for (const member of manifest.members) {
    const samples: CheckedSample[] = [];
    for (const [index, sample] of member.samples.entries()) {
      samples.push(await checkSample(sample, `${member.name}'s photo #${index + 1}`, entries, manifest.embedder.dimensions, limits));
    }
    members.push({ name: displayName(member.name), samples });
  }
  return { manifest, members };
}

function parseManifest(entries: ReadonlyMap<string, Buffer>, limits: PackLimits): PackManifest {
  const bytes = entries.get(MANIFEST_NAME);
  if (bytes === undefined) throw packInvalid(`it has no ${MANIFEST_NAME}, so it is not an idolens group pack.`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw packInvalid(`its ${MANIFEST_NAME} is not JSON.`);
  }
  checkCaps(raw, limits);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw packInvalid(`its manifest is not valid (${issueText(parsed.error)}).`, { reason: 'manifest_schema' });
  return parsed.data;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'unreadable';
  const where = issue.path.length === 0 ? 'the manifest' : issue.path.join('.');
  return `${where}: ${issue.message}`.slice(0, 300);
}

function arrayLength(value: unknown, key: string): number {
  if (typeof value !== 'object' || value === null) return 0;
  const field: unknown = (value as Record<string, unknown>)[key];
  return Array.isArray(field) ? field.length : 0;
}

/** Before the schema: an oversized group is refused for its size, whatever else is wrong with it. */
function checkCaps(raw: unknown, limits: PackLimits): void {
  const members: unknown = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).members : undefined;
  if (!Array.isArray(members)) return;
  if (members.length > limits.maxMembers) {
    throw packTooLarge(`it has ${members.length} members; a group may have at most ${limits.maxMembers}.`, { members: members.length });
  }
  let total = 0;
  for (const member of members as unknown[]) {
    const samples = arrayLength(member, 'samples');
    if (samples > limits.maxSamplesPerMember) throw packTooLarge(`a member has ${samples} photos; at most ${limits.maxSamplesPerMember} per member are taken.`, { samples });
    total += samples;
  }
  if (total > limits.maxSamples) throw packTooLarge(`it has ${total} photos; at most ${limits.maxSamples} are taken.`, { samples: total });
}

function checkCounts(manifest: PackManifest): void {
  const samples = manifest.members.reduce((sum, member) => sum + member.samples.length, 0);
  const { counts } = manifest;
  if (counts.members !== manifest.members.length || counts.samples !== samples) {
    throw packInvalid(`its manifest says ${counts.members} members and ${counts.samples} photos but lists ${manifest.members.length} and ${samples}.`, { reason: 'counts' });
  }
}

/** Every crop and descriptor the manifest names is in the zip, each named once, and the zip holds nothing else. */
function checkEntryList(manifest: PackManifest, entries: ReadonlyMap<string, Buffer>): void {
  const named = new Set<string>([MANIFEST_NAME]);
  for (const sample of manifest.members.flatMap((member) => member.samples)) {
    if (sample.crop.endsWith('.f32') || !sample.descriptor.endsWith('.f32')) throw packInvalid(`its manifest swaps a crop and a descriptor (${quoted(sample.crop)}).`);
    for (const name of [sample.crop, sample.descriptor]) {
      if (named.has(name)) throw packInvalid(`its manifest names ${quoted(name)} twice.`, { reason: 'counts' });
      if (!entries.has(name)) throw packInvalid(`its manifest names ${quoted(name)}, which is not in the pack.`, { reason: 'counts' });
      named.add(name);
    }
  }
  const extra = [...entries.keys()].find((name) => !named.has(name));
  if (extra !== undefined) throw packInvalid(`it holds ${quoted(extra)}, which its manifest does not name.`, { reason: 'counts' });
}

function checkNames(manifest: PackManifest): void {
  allowedName(manifest.group, 'group');
  const keys = new Set<string>();
  for (const member of manifest.members) {
    const key = nameKey(allowedName(member.name, 'member'));
    if (keys.has(key)) throw packInvalid(`it lists the member ${quoted(member.name)} twice.`);
    keys.add(key);
  }
}

function allowedName(name: string, what: string): string {
  try {
    return displayName(name);
  } catch {
    throw packInvalid(`its ${what} name ${quoted(name)} is not allowed.`);
  }
}

async function checkSample(sample: PackSample, label: string, entries: ReadonlyMap<string, Buffer>, dimensions: number, limits: PackLimits): Promise<CheckedSample> {
  const descriptor = descriptorFromBytes(entries.get(sample.descriptor) ?? Buffer.alloc(0), dimensions);
  if (descriptor === undefined) throw packInvalid(`the descriptor of ${label} (${quoted(sample.descriptor)}) is not ${dimensions} finite numbers.`, { reason: 'descriptor' });
  const cropBytes = entries.get(sample.crop) ?? Buffer.alloc(0);
  const cropSide = await cropSideOf(cropBytes, `${label} (${quoted(sample.crop)})`, limits);
  const outside = sample.landmarks.some(([x, y]) => x < -cropSide / 2 || y < -cropSide / 2 || x > cropSide * 1.5 || y > cropSide * 1.5);
  if (outside) throw packInvalid(`the landmarks of ${label} lie outside its face picture.`, { reason: 'landmarks' });
  return { sample, label, cropBytes, cropSide, descriptor };
}

/** A crop must really be a square JPEG or PNG of a sane side; only its header is read here (decoding comes later). */
async function cropSideOf(bytes: Buffer, label: string, limits: PackLimits): Promise<number> {
  const magic = bytes.subarray(0, 3).equals(JPEG_MAGIC) ? 'jpeg' : bytes.subarray(0, 8).equals(PNG_MAGIC) ? 'png' : undefined;
  if (magic === undefined) throw packInvalid(`the face picture of ${label} is not a JPEG or PNG image.`, { reason: 'crop_format' });
  const metadata = await sharp(bytes, { limitInputPixels: limits.maxCropSide * limits.maxCropSide }).metadata().catch(() => undefined);
  if (metadata?.format !== magic) throw packInvalid(`the face picture of ${label} is damaged.`, { reason: 'crop_format' });
  const { width, height } = metadata;
  if (width !== height || width < limits.minCropSide || width > limits.maxCropSide) {
    throw packInvalid(`the face picture of ${label} is ${width}×${height} px; face pictures are square, ${limits.minCropSide} to ${limits.maxCropSide} px.`, { reason: 'crop_size' });
  }
  return width;
}
