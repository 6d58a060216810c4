import type { CandidateFace } from './analyze-input.ts';
import type { EnrollOutcome } from './enroll-outcome.ts';
import { nearestDistance } from './face-choice.ts';
import type { EnrollDistances } from '../faces/profiles.ts';

export interface PendingSample {
  member: string;
  memberKey: string;
  candidate: CandidateFace;
  contentHash: string;
  source: string;
  outcome: EnrollOutcome;
}

/**
 * Flags accepted photos that do not sit with the member's other photos (maybe another person, or a very
 * different look). Needs two other photos of the member to judge; flagged photos are kept, for an admin to review.
 */
export function flagOutliers(pending: readonly PendingSample[], embeddingsByMember: ReadonlyMap<string, readonly Float32Array[]>, names: ReadonlyMap<string, string>, distances: EnrollDistances): Map<PendingSample, string> {
  const flags = new Map<PendingSample, string>();
  for (const sample of pending) {
    const own = (embeddingsByMember.get(sample.memberKey) ?? []).filter((embedding) => embedding !== sample.candidate.face.descriptor);
    if (own.length < 2) continue;
    const ownDistance = nearestDistance(sample.candidate.face.descriptor, own);
    const closestOther = closestOtherMember(sample, embeddingsByMember);
    if (closestOther && closestOther.distance + distances.otherMemberLead < ownDistance) {
      const other = names.get(closestOther.key) ?? closestOther.key;
      flags.set(sample, `Looks more like ${other} than ${sample.member}: check that it is really ${sample.member}.`);
    } else if (ownDistance > distances.outlier) {
      flags.set(sample, `Looks unlike ${sample.member}'s other photos: check that it is really ${sample.member}.`);
    }
  }
  return flags;
}

function closestOtherMember(sample: PendingSample, embeddingsByMember: ReadonlyMap<string, readonly Float32Array[]>): { key: string; distance: number } | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const [key, embeddings] of embeddingsByMember) {
    if (key === sample.memberKey || embeddings.length === 0) continue;
    const distance = nearestDistance(sample.candidate.face.descriptor, embeddings);
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best;
}
