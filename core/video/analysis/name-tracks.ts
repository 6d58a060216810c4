/** One descriptor's say about its track: the engine's open-set decision for that face in its frame. */
export interface FaceVote {
  member: number | null;
  /** Confidence per member, in model member order. */
  confidences: readonly number[];
  descriptor: Float32Array;
}

export interface TrackSpan {
  id: number;
  from: number;
  to: number;
  votes: readonly FaceVote[];
}

export interface TrackName {
  member: number | null;
  /** Mean confidence of the chosen member over the track's votes (unknown: that it is nobody enrolled). */
  confidence: number;
}

/**
 * A member must win at least half of a track's votes (the rest may be unknown or others), at least half of the
 * votes that named somebody, and the track's mean confidence for them must reach the group's threshold: one
 * face accepted among several unknown ones is the engine's occasional false accept on a stranger, not a name
 * (measured on the shared stranger clips: with a 30% share, two of them showed a BLACKPINK name).
 */
const MIN_VOTE_SHARE = 0.5;
const MIN_NAMED_SHARE = 0.5;
/**
 * A name needs at least this many faces of the track to agree: one accepted face is not enough, whatever the
 * share (a stranger's short track was named after a single face).
 */
export const MIN_AGREEING_VOTES = 2;

interface Claim {
  track: TrackSpan;
  member: number;
  strength: number;
  confidence: number;
}

function meanConfidence(votes: readonly FaceVote[], member: number): number {
  return votes.reduce((sum, vote) => sum + (vote.confidences[member] ?? 0), 0) / Math.max(1, votes.length);
}

/** The members a track's votes would accept, each with how strongly. */
function claimsOf(track: TrackSpan, requiredConfidence: number): Claim[] {
  const counts = new Map<number, number>();
  for (const vote of track.votes) if (vote.member !== null) counts.set(vote.member, (counts.get(vote.member) ?? 0) + 1);
  const named = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return [...counts].flatMap(([member, count]) => {
    if (count < MIN_AGREEING_VOTES || count / track.votes.length < MIN_VOTE_SHARE || count / named < MIN_NAMED_SHARE) return [];
    const confidence = meanConfidence(track.votes, member);
    if (confidence < requiredConfidence) return [];
    return [{ track, member, strength: count * confidence, confidence }];
  });
}

function overlaps(a: TrackSpan, b: TrackSpan): boolean {
  return a.from < b.to && b.from < a.to;
}

/**
 * Names each track by the vote of its descriptors, then enforces the lineup over time: a member is on at most
 * one track at any instant. The strongest claims are granted first; a track whose claim collides with a stronger
 * overlapping one stays unknown.
 */
export function nameTracks(tracks: readonly TrackSpan[], requiredConfidence: number): Map<number, TrackName> {
  const claims = tracks.flatMap((track) => claimsOf(track, requiredConfidence)).sort((a, b) => b.strength - a.strength || a.track.id - b.track.id);
  const granted = new Map<number, TrackSpan[]>();
  const names = new Map<number, TrackName>();
  for (const claim of claims) {
    if (names.has(claim.track.id)) continue;
    const holders = granted.get(claim.member) ?? [];
    if (holders.some((holder) => overlaps(holder, claim.track))) continue;
    holders.push(claim.track);
    granted.set(claim.member, holders);
    names.set(claim.track.id, { member: claim.member, confidence: claim.confidence });
  }
  for (const track of tracks) {
    if (names.has(track.id)) continue;
    const best = track.votes.length === 0 ? 0 : Math.max(0, ...(track.votes[0]?.confidences ?? []).map((_, member) => meanConfidence(track.votes, member)));
    names.set(track.id, { member: null, confidence: 1 - best });
  }
  return names;
}
