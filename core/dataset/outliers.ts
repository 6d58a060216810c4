import type { FaceObservation } from '../types.ts';
import type { EnrollOutcome } from './enroll.ts';
import { nearestDistance } from './face-choice.ts';
import { ENROLL_QUALITY } from './quality.ts';

export interface PendingSample {
  member: string;
  memberKey: string;
  face: FaceObservation;
  thumbnailJpeg: Buffer;
  contentHash: string;
  source: string;
  outcome: EnrollOutcome;
}

const OTHER_MEMBER_LEAD = 0.05;

/**
 * Flags accepted photos that do not sit with the member's other photos (maybe another person, or a very
 * different look). Needs two other photos of the member to judge; flagged photos are kept, for an admin to review.
 */
export function flagOutliers(pending: readonly PendingSample[], embeddingsByMember: ReadonlyMap<string, readonly Float32Array[]>, names: ReadonlyMap<string, string>): Map<PendingSample, string> {
  const flags = new Map<PendingSample, string>();
  for (const sample of pending) {
    const own = (embeddingsByMember.get(sample.memberKey) ?? []).filter((embedding) => embedding !== sample.face.descriptor);
    if (own.length < 2) continue;
    const ownDistance = nearestDistance(sample.face.descriptor, own);
    const closestOther = closestOtherMember(sample, embeddingsByMember);
    if (closestOther && closestOther.distance + OTHER_MEMBER_LEAD < ownDistance) {
      const other = names.get(closestOther.key) ?? closestOther.key;
      flags.set(sample, `Looks more like ${other} than ${sample.member}: check that it is really ${sample.member}.`);
    } else if (ownDistance > ENROLL_QUALITY.outlierDistance) {
      flags.set(sample, `Looks unlike ${sample.member}'s other photos: check that it is really ${sample.member}.`);
    }
  }
  return flags;
}

function closestOtherMember(sample: PendingSample, embeddingsByMember: ReadonlyMap<string, readonly Float32Array[]>): { key: string; distance: number } | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const [key, embeddings] of embeddingsByMember) {
    if (key === sample.memberKey || embeddings.length === 0) continue;
    const distance = nearestDistance(sample.face.descriptor, embeddings);
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best;
}
