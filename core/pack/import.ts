/**
 * `importPack`: a pack becomes a new group on this server, whole or not at all. The pack is read under its caps,
 * checked against its manifest, its descriptors checked against its crops (or made again from them with another
 * embedder), and the group is created with every sample in one store commit. An existing group is never touched.
 */
import sharp from 'sharp';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { displayName, type MemberSamples, type NewSample } from '../store/index.ts';
import { describePack, type PackProgress } from './describe.ts';
import { PACK_LIMITS, type PackLimits } from './limits.ts';
import type { PackProvenance } from './manifest.ts';
import { readPackEntries } from './pack-zip.ts';
import { validatePack, type CheckedPack, type CheckedSample } from './validate.ts';

export interface PackImportRequest {
  server: string;
  bytes: Buffer;
  /** The pack's file name, noted in every imported sample's source. */
  fileName: string;
  /** The new group's name; default: the pack's. */
  as?: string;
  /** Who imports (a user id, or `cli`). */
  by: string;
  /** The request that imports: a retry of the same request gets the group it created. */
  request?: string;
  /** How to name the group otherwise, in the words of where the import was asked ("add --as NAME"). */
  renameHint?: (group: string) => string;
  onProgress?: (progress: PackProgress) => void;
  limits?: PackLimits;
}

export interface PackImportReport {
  group: string;
  members: { member: string; samples: number }[];
  samples: number;
  /** The embedder the pack was made with, and the one in use. */
  packEmbedder: string;
  embedder: string;
  /** The crops were described again with the embedder in use (the pack came from another one). */
  reembedded: boolean;
  /** Samples of the exported group that kept no face crop, so never were in the pack. */
  leftOutAtExport: number;
  sourceName?: string;
}

const THUMBNAIL_SIDE = 112;
/** The face spans about this share of its crop's side (the crop leaves room around it for any embedder's chip). */
const FACE_SHARE = 0.7;

export async function importPack(context: CoreContext, request: PackImportRequest): Promise<PackImportReport> {
  const limits = request.limits ?? PACK_LIMITS;
  const pack = await validatePack(await readPackEntries(request.bytes, limits), limits, context.embedder);
  const group = displayName(request.as ?? pack.manifest.group);
  await refuseExisting(context, request, group);
  const descriptors = await describePack(context, pack, request.onProgress);
  const reembedded = pack.manifest.embedder.id !== context.embedder.id;
  const origin = { fileName: request.fileName, by: request.by, addedAt: new Date().toISOString() };
  const batches = await memberBatches(pack, descriptors, context.embedder.id, origin);
  const created = await context.store.createGroupWithSamples(request.server, group, batches, request.request);
  const samples = batches.reduce((sum, batch) => sum + batch.samples.length, 0);
  context.logger.info({ server: request.server, group: created.name, samples, reembedded }, 'group pack imported');
  return {
    group: created.name,
    members: batches.map((batch) => ({ member: batch.member, samples: batch.samples.length })),
    samples,
    packEmbedder: pack.manifest.embedder.id,
    embedder: context.embedder.id,
    reembedded,
    leftOutAtExport: pack.manifest.leftOut,
    ...(pack.manifest.sourceName === undefined ? {} : { sourceName: pack.manifest.sourceName }),
  };
}

/** Checked before the crops are described (quick refusal); the store checks again in its commit. */
async function refuseExisting(context: CoreContext, request: PackImportRequest, group: string): Promise<void> {
  const existing = await context.store.getGroup(request.server, group);
  if (existing === undefined || (request.request !== undefined && existing.changedBy === request.request)) return;
  const hint = request.renameHint?.(existing.name) ?? 'import the pack under another name.';
  throw new IdolensError('group_exists', `A group named ${existing.name} already exists here, so nothing was imported: ${hint}`, { group: existing.name });
}

interface ImportOrigin {
  fileName: string;
  by: string;
  addedAt: string;
}

/** The new samples per member, in the pack's order; `descriptors` follow that order. */
async function memberBatches(pack: CheckedPack, descriptors: readonly Float32Array[], embedderId: string, origin: ImportOrigin): Promise<MemberSamples[]> {
  let next = 0;
  const batches: MemberSamples[] = [];
  for (const member of pack.members) {
    const samples: NewSample[] = [];
    for (const checked of member.samples) {
      const embedding = descriptors[next];
      next += 1;
      if (embedding === undefined) throw new Error('a pack sample has no descriptor');
      samples.push(await importedSample(checked, embedding, embedderId, origin));
    }
    batches.push({ member: member.name, samples });
  }
  return batches;
}

async function importedSample(checked: CheckedSample, embedding: Float32Array, embedderId: string, origin: ImportOrigin): Promise<NewSample> {
  const { sample } = checked;
  return {
    embedding,
    embedderId,
    thumbnailJpeg: await thumbnailOf(checked),
    faceCrop: { jpeg: checked.cropBytes, landmarks: sample.landmarks.map(([x, y]) => ({ x, y })) },
    contentHash: sample.contentHash,
    box: sample.box,
    detectionScore: sample.detectionScore,
    sharpness: sample.sharpness,
    flagged: sample.flagged,
    ...(sample.flagReason === undefined ? {} : { flagReason: sample.flagReason }),
    provenance: importedProvenance(sample.provenance, origin),
  };
}

/** The original provenance, noting the pack it came through and who imported it. */
function importedProvenance(provenance: PackProvenance, origin: ImportOrigin): NewSample['provenance'] {
  return { ...provenance, source: `pack:${origin.fileName}/${provenance.source}`, addedBy: origin.by, addedAt: origin.addedAt };
}

/** The contact sheet's tile: the middle of the crop, where the face is. */
async function thumbnailOf(checked: CheckedSample): Promise<Buffer> {
  const side = Math.round(checked.cropSide * FACE_SHARE);
  const offset = Math.round((checked.cropSide - side) / 2);
  return sharp(checked.cropBytes).removeAlpha().extract({ left: offset, top: offset, width: side, height: side })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE).jpeg({ quality: 85 }).toBuffer();
}
