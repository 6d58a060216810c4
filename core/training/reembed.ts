/**
 * A change of embedder without re-enrolling: every sample made with another embedder is described again from the
 * face crop it keeps. Samples enrolled before crops were kept cannot be, and are reported (never dropped): they
 * stay in the group, left out of training, until an admin enrolls new photos or forgets them.
 */
import { mapConcurrent } from '../concurrency.ts';
import type { CoreContext } from '../context.ts';
import type { FaceEngine } from '../faces/engine.ts';
import { decodeFaceCrop } from '../faces/decode-crop.ts';
import type { FaceCrop } from '../faces/face-crop.ts';
import { plural } from '../format.ts';
import type { EmbeddingUpdate, GroupRecord, SampleRecord } from '../store/index.ts';

export interface MemberNeedingPhotos {
  member: string;
  /** Her samples from another embedder that cannot be described again (no face crop kept, or it is unreadable). */
  samples: number;
}

export interface ReembedReport {
  group: string;
  embedder: string;
  /** Samples described again now. */
  reembedded: number;
  /** Samples already made with the embedder in use. */
  current: number;
  needPhotosAgain: MemberNeedingPhotos[];
}

export interface ReembedProgress {
  done: number;
  total: number;
}

/** Crops are decoded and described this many at a time (one worker message each; the batches go to all workers). */
const BATCH = 16;

async function decodeCrop(sample: SampleRecord): Promise<FaceCrop | undefined> {
  return sample.faceCrop ? decodeFaceCrop(sample.faceCrop.jpeg, sample.faceCrop.landmarks) : undefined;
}

/** One batch's crops decoded and described (by one worker); samples whose crop is missing or unreadable fail. */
async function describeBatch(engine: FaceEngine, batch: readonly SampleRecord[]): Promise<{ described: { sample: SampleRecord; embedding: Float32Array }[]; failed: SampleRecord[] }> {
  const crops = await Promise.all(batch.map(decodeCrop));
  const usable = batch.flatMap((sample, index) => {
    const crop = crops[index];
    return crop ? [{ sample, crop }] : [];
  });
  const descriptors = await engine.embedCrops(usable.map((entry) => entry.crop));
  const described = usable.flatMap(({ sample }, index) => {
    const embedding = descriptors[index];
    return embedding ? [{ sample, embedding }] : [];
  });
  const ok = new Set(described.map((entry) => entry.sample));
  return { described, failed: batch.filter((sample) => !ok.has(sample)) };
}

/** Per member, the samples that are stale and cannot be re-embedded (by display name, in member order). */
export function membersNeedingPhotos(group: GroupRecord, unusable: readonly SampleRecord[]): MemberNeedingPhotos[] {
  return group.members.flatMap((member) => {
    const samples = unusable.filter((sample) => sample.memberKey === member.key).length;
    return samples > 0 ? [{ member: member.name, samples }] : [];
  });
}

/** Re-embeds the group's stale samples with the embedder in use, in one commit; a group already current is left alone. */
export async function reembedGroup(context: CoreContext, server: string, groupName: string, onProgress?: (progress: ReembedProgress) => void): Promise<ReembedReport> {
  const group = await context.store.requireGroup(server, groupName);
  return reembedSamples(context, server, group, await context.store.getSamples(server, group.name), onProgress);
}

/** As reembedGroup, for the group's samples already read. */
export async function reembedSamples(
  context: CoreContext, server: string, group: GroupRecord, samples: readonly SampleRecord[], onProgress?: (progress: ReembedProgress) => void,
): Promise<ReembedReport> {
  const embedderId = context.embedder.id;
  const stale = samples.filter((sample) => sample.embedderId !== embedderId);
  const unusable: SampleRecord[] = [];
  const updates: EmbeddingUpdate[] = [];
  if (stale.length > 0) {
    context.logger.info({ server, group: group.name, samples: stale.length, embedder: embedderId }, 're-embedding a group made with another face model');
    const started = performance.now();
    const engine = await context.faces();
    const batches = Array.from({ length: Math.ceil(stale.length / BATCH) }, (_, index) => stale.slice(index * BATCH, (index + 1) * BATCH));
    let done = 0;
    const results = await mapConcurrent(batches, engine.size, async (batch) => {
      const described = await describeBatch(engine, batch);
      done += batch.length;
      onProgress?.({ done, total: stale.length });
      return described;
    });
    for (const { described, failed } of results) {
      unusable.push(...failed);
      updates.push(...described.map(({ sample, embedding }) => ({ id: sample.id, from: sample.embedderId, embedding, embedderId })));
    }
    if (updates.length > 0) await context.store.replaceEmbeddings(server, group.name, updates);
    context.logger.info({ server, group: group.name, reembedded: updates.length, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) }, 'group re-embedded');
  }
  const needPhotosAgain = membersNeedingPhotos(group, unusable);
  if (needPhotosAgain.length > 0) context.logger.warn({ server, group: group.name, needPhotosAgain }, 'some photos kept no face crop and must be enrolled again');
  return { group: group.name, embedder: embedderId, reembedded: updates.length, current: samples.length - stale.length, needPhotosAgain };
}

/**
 * The group and its samples after re-embedding what can be (nothing is written when all are current): what
 * training, enrollment and searches start from, so that a change of embedder needs no manual step.
 */
export async function withCurrentEmbeddings(context: CoreContext, server: string, group: GroupRecord): Promise<{ group: GroupRecord; samples: SampleRecord[]; report: ReembedReport }> {
  const samples = await context.store.getSamples(server, group.name);
  const report = await reembedSamples(context, server, group, samples);
  if (report.reembedded === 0) return { group, samples, report };
  const latest = await context.store.requireGroup(server, group.name);
  return { group: latest, samples: await context.store.getSamples(server, latest.name), report };
}

/** What an admin reads: who needs photos again, and why. */
export function needPhotosAgainLines(needPhotosAgain: readonly MemberNeedingPhotos[]): string[] {
  return needPhotosAgain.map((entry) => `${entry.member}: ${plural(entry.samples, 'photo')} from the earlier face model kept no face crop, so ${entry.samples === 1 ? 'it is' : 'they are'} left out; enroll new photos of ${entry.member} (and forget the old ones).`);
}
