import type { FaceVote } from './name-tracks.ts';

/** A vote that names nobody and gives every member less than this is a stranger's face, not a poor view of a member. */
const STRANGER_CONFIDENCE = 0.1;
type Identity = number | 'stranger' | undefined;

function identityOf(vote: FaceVote): Identity {
  if (vote.member !== null) return vote.member;
  return Math.max(0, ...vote.confidences) < STRANGER_CONFIDENCE ? 'stranger' : undefined;
}

/** Who a track's votes say it is most often (a member, or a stranger), with how many votes, if any vote was clear. */
function leadingIdentity(votes: readonly FaceVote[]): { identity: number | 'stranger'; count: number } | undefined {
  const counts = new Map<number | 'stranger', number>();
  for (const vote of votes) {
    const identity = identityOf(vote);
    if (identity !== undefined) counts.set(identity, (counts.get(identity) ?? 0) + 1);
  }
  const [identity, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return identity === undefined || count === undefined ? undefined : { identity, count };
}

/** A face recognised as a member on a track that at least two earlier faces said is someone else (a member or a stranger). */
export function changedIdentity(history: readonly FaceVote[], vote: FaceVote | undefined): boolean {
  if (!vote || vote.member === null) return false;
  const leading = leadingIdentity(history);
  return leading !== undefined && leading.count >= 2 && leading.identity !== vote.member;
}
