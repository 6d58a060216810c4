/**
 * Which person a set of search results is about. Search results mix the member with bandmates, fans, group
 * shots and lookalikes; the member is the identity most results agree on (or, when she already has samples,
 * the one those samples show). Each photo keeps at most its one face of that identity; everything else is
 * dropped with the reason. A face closer to another enrolled member than to this one is dropped too, so a
 * search never pulls a member's samples towards a bandmate.
 */
import { meanVector } from '../classifier/geometry.ts';
import { euclidean } from '../classifier/vectors.ts';
import type { CandidateFace } from '../dataset/analyze-input.ts';
import { nearestDistance } from '../dataset/face-choice.ts';
import { ENROLL_QUALITY } from '../dataset/quality.ts';
import { IdolensError } from '../errors.ts';
import type { EnrollDistances, SearchDistances } from '../faces/profiles.ts';

export interface ConsensusPhoto {
  rank: number;
  /** The photo's candidate faces (background faces already left out). */
  faces: readonly CandidateFace[];
}

export type ConsensusDecision =
  | { rank: number; kept: CandidateFace; distance: number }
  | { rank: number; dropped: IdolensError };

export interface ConsensusInput {
  photos: readonly ConsensusPhoto[];
  /** The member's existing samples: when present, they say who she is. */
  anchor: readonly Float32Array[];
  /** The group's other members' samples, by display name. */
  others: ReadonlyMap<string, readonly Float32Array[]>;
  /** The embedder's distances (faces/profiles.ts). */
  distances: { search: SearchDistances; enroll: EnrollDistances };
}


interface Located {
  rank: number;
  face: CandidateFace;
}

function usable(face: CandidateFace): boolean {
  return face.face.box.width >= ENROLL_QUALITY.minFaceWidth && face.face.sharpness >= ENROLL_QUALITY.minSharpness;
}

function centroid(vectors: readonly Float32Array[]): Float32Array {
  return meanVector(vectors, vectors[0]?.length ?? 0);
}

interface Cluster {
  members: Located[];
  /** Sum of the members' distances to the seed: smaller is tighter. */
  spread: number;
}

/** Around each face, the closest face of every other photo that agrees with it: one candidate identity per seed. */
function agreementClusters(faces: readonly Located[], agreement: number): Cluster[] {
  return faces.map((seed) => {
    const byPhoto = new Map<number, Located & { distance: number }>();
    for (const other of faces) {
      if (other.rank === seed.rank) continue;
      const distance = euclidean(seed.face.face.descriptor, other.face.face.descriptor);
      const current = byPhoto.get(other.rank);
      if (distance <= agreement && (current === undefined || distance < current.distance)) byPhoto.set(other.rank, { ...other, distance });
    }
    const matches = [...byPhoto.values()];
    return { members: [seed, ...matches], spread: matches.reduce((sum, match) => sum + match.distance, 0) };
  });
}

function descriptors(cluster: Cluster): Float32Array[] {
  return cluster.members.map((entry) => entry.face.face.descriptor);
}

/** The identity most results agree on (ties: the tighter one). */
function largest(clusters: readonly Cluster[]): Cluster | undefined {
  return [...clusters].sort((a, b) => b.members.length - a.members.length || a.spread - b.spread)[0];
}

/** Among the identities results agree on, the one the member's own samples show, if any is close enough. */
function nearestToAnchor(clusters: readonly Cluster[], anchorCentre: Float32Array, anchorMatch: number): Cluster | undefined {
  const ranked = clusters
    .filter((cluster) => cluster.members.length >= 2)
    .map((cluster) => ({ cluster, distance: euclidean(centroid(descriptors(cluster)), anchorCentre) }))
    .sort((a, b) => a.distance - b.distance || b.cluster.members.length - a.cluster.members.length);
  const [best] = ranked;
  return best !== undefined && best.distance <= anchorMatch ? best.cluster : undefined;
}

/** The identity's centre: from the member's samples and the results that agree with them, or from the results alone. */
function identityCentre(faces: readonly Located[], anchor: readonly Float32Array[], distances: SearchDistances): Float32Array | undefined {
  const clusters = agreementClusters(faces, distances.agreement);
  if (anchor.length > 0) {
    const agreeing = nearestToAnchor(clusters, centroid(anchor), distances.anchorMatch);
    return centroid([...anchor, ...(agreeing === undefined ? [] : descriptors(agreeing))]);
  }
  const cluster = largest(clusters);
  if (cluster === undefined || cluster.members.length < 2) return undefined;
  const first = centroid(descriptors(cluster));
  // Once more around the first centre: the seed's own neighbours settle it less than the whole identity does.
  const refined = faces.filter((entry) => euclidean(entry.face.face.descriptor, first) <= distances.identity);
  return refined.length >= 2 ? centroid(refined.map((entry) => entry.face.face.descriptor)) : first;
}

function decidePhoto(photo: ConsensusPhoto, distanceOf: (face: CandidateFace) => number, input: ConsensusInput): ConsensusDecision {
  const { rank } = photo;
  if (photo.faces.length === 0) return { rank, dropped: new IdolensError('no_face') };
  const faces = photo.faces.filter(usable);
  if (faces.length === 0) {
    const small = photo.faces.every((face) => face.face.box.width < ENROLL_QUALITY.minFaceWidth);
    return { rank, dropped: new IdolensError(small ? 'face_too_small' : 'face_blurry', small ? 'Too small: the face is too small to learn from.' : undefined) };
  }
  const ranked = faces.map((face) => ({ face, distance: distanceOf(face) })).sort((a, b) => a.distance - b.distance);
  const [best, second] = ranked;
  const group = photo.faces.length > 1;
  if (best === undefined || best.distance > input.distances.search.identity) {
    return { rank, dropped: new IdolensError('not_the_member', group ? 'Group photo: the member is not in it.' : 'Another person.') };
  }
  if (second !== undefined && second.distance - best.distance < input.distances.enroll.memberMatchLead) {
    return { rank, dropped: new IdolensError('several_faces', 'Group photo: I cannot tell which face is the member.') };
  }
  for (const [name, samples] of input.others) {
    if (nearestDistance(best.face.face.descriptor, samples) < best.distance) {
      return { rank, dropped: new IdolensError('not_the_member', `Looks more like ${name}.`) };
    }
  }
  return { rank, kept: best.face, distance: best.distance };
}

export function findConsensus(input: ConsensusInput): ConsensusDecision[] {
  const faces = input.photos.flatMap((photo) => photo.faces.filter(usable).map((face) => ({ rank: photo.rank, face })));
  const centre = identityCentre(faces, input.anchor, input.distances.search);
  if (centre === undefined) return input.photos.map((photo) => ({ rank: photo.rank, dropped: new IdolensError(photo.faces.length === 0 ? 'no_face' : 'no_consensus') }));
  const distanceOf = (face: CandidateFace): number => euclidean(face.face.descriptor, centre);
  return withoutNearDuplicates(input.photos.map((photo) => decidePhoto(photo, distanceOf, input)), input.distances.enroll.nearDuplicate);
}

/** The same shot found twice (resized, recompressed): kept once, the better-ranked one. */
function withoutNearDuplicates(decisions: ConsensusDecision[], nearDuplicate: number): ConsensusDecision[] {
  const kept: { rank: number; descriptor: Float32Array }[] = [];
  return decisions.map((decision) => {
    if (!('kept' in decision)) return decision;
    const descriptor = decision.kept.face.descriptor;
    const twin = kept.find((entry) => euclidean(entry.descriptor, descriptor) < nearDuplicate);
    if (twin !== undefined) return { rank: decision.rank, dropped: new IdolensError('duplicate', `Nearly the same photo as result #${twin.rank}.`) };
    kept.push({ rank: decision.rank, descriptor });
    return decision;
  });
}
