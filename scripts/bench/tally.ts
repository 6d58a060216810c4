/** Held-out photos of enrolled members. `unnamed` includes `noFace`. */
export interface NamingTally {
  photos: number;
  correct: number;
  wrong: number;
  unnamed: number;
  /** Unnamed photos whose best-scoring candidate was the right member (the threshold held the name back). */
  unnamedTopRight: number;
  noFace: number;
}

/** Photos of people outside the group: `faces` counts only photos where a face was found. */
export interface StrangerTally {
  photos: number;
  faces: number;
  named: number;
  noFace: number;
}

export function emptyNaming(): NamingTally {
  return { photos: 0, correct: 0, wrong: 0, unnamed: 0, unnamedTopRight: 0, noFace: 0 };
}

export function emptyStrangers(): StrangerTally {
  return { photos: 0, faces: 0, named: 0, noFace: 0 };
}

export function addNaming(into: NamingTally, from: NamingTally): void {
  into.photos += from.photos;
  into.correct += from.correct;
  into.wrong += from.wrong;
  into.unnamed += from.unnamed;
  into.unnamedTopRight += from.unnamedTopRight;
  into.noFace += from.noFace;
}

export function addStrangers(into: StrangerTally, from: StrangerTally): void {
  into.photos += from.photos;
  into.faces += from.faces;
  into.named += from.named;
  into.noFace += from.noFace;
}

export function fraction(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
