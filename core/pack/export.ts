/**
 * `exportPack`: one group as a zip another server can import. Per sample it holds the face crop (levelled, with
 * room around the face), its landmarks, its descriptor and its provenance; never the original photos. Samples that
 * kept no face crop cannot be described again elsewhere, so they are left out and counted.
 */
import yazl from 'yazl';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import type { GroupRecord, Provenance, SampleRecord } from '../store/index.ts';
import { withCurrentEmbeddings } from '../training/reembed.ts';
import { descriptorToBytes } from './descriptor-bytes.ts';
import { MANIFEST_NAME, PACK_FORMAT, PACK_VERSION, type PackManifest, type PackMember, type PackProvenance, type PackSample } from './manifest.ts';

export interface PackExportRequest {
  server: string;
  group: string;
  /** The source server's name, written into the manifest only when the admin gives one. */
  sourceName?: string;
}

export interface PackExport {
  group: string;
  bytes: Buffer;
  members: number;
  samples: number;
  /** Samples left out: they kept no face crop (enrolled before crops were kept). */
  leftOut: number;
}

interface PackEntry {
  name: string;
  bytes: Buffer;
}

/** A fixed time inside the zip: the same group gives the same bytes, and no clock leaks from the exporting machine. */
const ENTRY_TIME = new Date('2024-01-01T00:00:00Z');

export async function exportPack(context: CoreContext, request: PackExportRequest): Promise<PackExport> {
  const record = await context.store.requireGroup(request.server, request.group);
  // Descriptors of an earlier embedder are described again first (as training would): a pack has one embedder.
  const { group, samples } = await withCurrentEmbeddings(context, request.server, record);
  const current = samples.filter((sample) => sample.faceCrop !== undefined && sample.embedderId === context.embedder.id);
  if (current.length === 0) throw new IdolensError('pack_empty', undefined, { group: group.name });
  const entries: PackEntry[] = [];
  const members = packMembers(group, current, entries);
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    embedder: { id: context.embedder.id, dimensions: context.embedder.dimensions },
    group: group.name,
    createdAt: new Date().toISOString(),
    ...(request.sourceName === undefined ? {} : { sourceName: request.sourceName }),
    counts: { members: members.length, samples: current.length },
    leftOut: samples.length - current.length,
    members,
  };
  const bytes = await zipEntries([{ name: MANIFEST_NAME, bytes: Buffer.from(JSON.stringify(manifest)) }, ...entries]);
  return { group: group.name, bytes, members: members.length, samples: current.length, leftOut: manifest.leftOut };
}

/** The manifest's members in the group's order, samples in contact-sheet order; their entries are added to `entries`. */
function packMembers(group: GroupRecord, samples: readonly SampleRecord[], entries: PackEntry[]): PackMember[] {
  return group.members.flatMap((member) => {
    const own = samples.filter((sample) => sample.memberKey === member.key);
    const packed = own.map((sample) => packSample(sample, entries));
    return packed.length === 0 ? [] : [{ name: member.name, samples: packed }];
  });
}

function packSample(sample: SampleRecord, entries: PackEntry[]): PackSample {
  const crop = sample.faceCrop;
  if (!crop) throw new Error('only samples with a face crop are packed');
  const stem = `samples/${String(entries.length / 2 + 1).padStart(4, '0')}`;
  entries.push({ name: `${stem}.jpg`, bytes: crop.jpeg }, { name: `${stem}.f32`, bytes: descriptorToBytes(sample.embedding) });
  return {
    crop: `${stem}.jpg`,
    descriptor: `${stem}.f32`,
    landmarks: crop.landmarks.map((point) => [point.x, point.y]),
    contentHash: sample.contentHash,
    box: { x: sample.box.x, y: sample.box.y, width: sample.box.width, height: sample.box.height },
    detectionScore: sample.detectionScore,
    sharpness: sample.sharpness,
    flagged: sample.flagged,
    ...(sample.flagReason === undefined ? {} : { flagReason: sample.flagReason }),
    provenance: packProvenance(sample.provenance),
  };
}

/** Provenance within the manifest's bounds (a long URL is cut, an empty field dropped), so every export imports. */
function packProvenance(provenance: Provenance): PackProvenance {
  const [page, licence, author] = [fit(provenance.page, 2000), fit(provenance.licence, 300), fit(provenance.author, 300)];
  return {
    source: fit(provenance.source, 500) ?? 'unknown',
    addedBy: fit(provenance.addedBy, 200) ?? 'unknown',
    addedAt: Number.isNaN(Date.parse(provenance.addedAt)) ? ENTRY_TIME.toISOString() : new Date(provenance.addedAt).toISOString(),
    ...(page === undefined ? {} : { page }),
    ...(licence === undefined ? {} : { licence }),
    ...(author === undefined ? {} : { author }),
    ...approval(provenance),
  };
}

/** Who suggested and approved a fan's correction, kept only when both are there and fit. */
function approval(provenance: Provenance): Pick<PackProvenance, 'suggestedBy' | 'approvedBy'> {
  const suggestedBy = (provenance.suggestedBy ?? []).flatMap((user) => fit(user, 200) ?? []).slice(0, 100);
  const approvedBy = fit(provenance.approvedBy, 200);
  return suggestedBy.length === 0 || approvedBy === undefined ? {} : { suggestedBy, approvedBy };
}

function fit(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : [...trimmed].slice(0, max).join('');
}

async function zipEntries(entries: readonly PackEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    // JPEG is compressed already; deflating it again only costs time.
    zip.addBuffer(entry.bytes, entry.name, { mtime: ENTRY_TIME, compress: !entry.name.endsWith('.jpg') });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
