/**
 * Unknown tracks that are one person: a stranger who turns away, is covered or leaves the frame comes back as a
 * new track each time. Tracks that are never on screen at the same instant and whose faces look alike (every pair
 * of them that has descriptors, complete linkage) are one unknown person. A track without a descriptor cannot
 * say who it is: it joins the person seen last before it that it does not overlap, and starts a new person only
 * when it overlaps everyone. People are numbered in order of first appearance.
 */
import { euclidean } from '../../classifier/vectors.ts';

export interface UnknownTrack {
  id: number;
  from: number;
  to: number;
  descriptors: readonly Float32Array[];
}

interface Seen {
  track: UnknownTrack;
  look: Float32Array | undefined;
}

/** The mean of a track's descriptors: steadier than any one frame's. */
function lookOf(descriptors: readonly Float32Array[]): Float32Array | undefined {
  const [first] = descriptors;
  if (first === undefined) return undefined;
  const mean = new Float32Array(first.length);
  for (const descriptor of descriptors) for (let index = 0; index < mean.length; index += 1) mean[index] = (mean[index] ?? 0) + (descriptor[index] ?? 0) / descriptors.length;
  return mean;
}

function overlaps(a: UnknownTrack, b: UnknownTrack): boolean {
  return a.from < b.to && b.from < a.to;
}

/** How far the track's look is from the person's farthest look; undefined when it cannot be them. */
function distanceTo(person: readonly Seen[], track: UnknownTrack, look: Float32Array, samePersonDistance: number): number | undefined {
  let farthest = 0;
  for (const seen of person) {
    if (overlaps(seen.track, track)) return undefined;
    if (seen.look === undefined) continue;
    farthest = Math.max(farthest, euclidean(seen.look, look));
    if (farthest > samePersonDistance) return undefined;
  }
  return farthest;
}

function lastSeen(person: readonly Seen[]): number {
  return Math.max(...person.map((seen) => seen.track.to));
}

/** The person a track joins: the closest look that may be them, or (without a look) the one seen last before it. */
function personFor(people: readonly Seen[][], track: UnknownTrack, look: Float32Array | undefined, samePersonDistance: number): Seen[] | undefined {
  let chosen: { person: Seen[]; score: number } | undefined;
  for (const person of people) {
    const score = look === undefined
      ? (person.some((seen) => overlaps(seen.track, track)) ? undefined : track.from - lastSeen(person))
      : distanceTo(person, track, look, samePersonDistance);
    if (score !== undefined && (chosen === undefined || score < chosen.score)) chosen = { person, score };
  }
  return chosen?.person;
}

/** Each unknown track's person number (1, 2, …). */
export function unknownPeople(tracks: readonly UnknownTrack[], samePersonDistance: number): Map<number, number> {
  const people: Seen[][] = [];
  const personOf = new Map<number, number>();
  for (const track of [...tracks].sort((a, b) => a.from - b.from || a.id - b.id)) {
    const look = lookOf(track.descriptors);
    const person = personFor(people, track, look, samePersonDistance);
    if (person === undefined) people.push([{ track, look }]);
    else person.push({ track, look });
    personOf.set(track.id, person === undefined ? people.length : people.indexOf(person) + 1);
  }
  return personOf;
}
