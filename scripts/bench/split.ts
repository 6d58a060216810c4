import { chooseEnrollFace, nearestDistance } from '../../core/dataset/face-choice.ts';
import { isIdolensError } from '../../core/errors.ts';
import type { EnrollDistances } from '../../core/faces/profiles.ts';
import type { FaceObservation } from '../../core/types.ts';
import { facesOf, type DescriptorCache } from './descriptors.ts';
import type { Identity } from './faces-folder.ts';
import { shuffled } from './random.ts';

export interface MemberSplit {
  name: string;
  enrolled: Float32Array[];
  heldOut: string[];
  /** Photos the real rule refused as near-copies of an enrolled one: neither enrolled nor tested. */
  duplicates: number;
  /** Photos tried for enrollment and refused (no face, too small, blurry, several faces): they stay held out. */
  refused: number;
}

type EnrollAttempt = { descriptor: Float32Array } | 'duplicate' | 'refused';

/** enrollPhotos' per-photo rule: one usable face (chooseEnrollFace), then the near-duplicate check. */
function tryEnroll(faces: readonly FaceObservation[], own: readonly Float32Array[], distances: EnrollDistances): EnrollAttempt {
  let chosen: FaceObservation;
  try {
    chosen = chooseEnrollFace(faces, own, distances);
  } catch (error) {
    if (isIdolensError(error)) return 'refused';
    throw error;
  }
  if (nearestDistance(chosen.descriptor, own) < distances.nearDuplicate) return 'duplicate';
  return { descriptor: chosen.descriptor };
}

/**
 * Goes through the member's photos in a random order, enrolling like an admin adding them one by one
 * until `shots` are accepted; everything else not refused as a duplicate is held out for testing.
 */
export function splitMember(identity: Identity, cache: DescriptorCache, shots: number, random: () => number, distances: EnrollDistances): MemberSplit {
  const split: MemberSplit = { name: identity.name, enrolled: [], heldOut: [], duplicates: 0, refused: 0 };
  for (const photo of shuffled(identity.photos, random)) {
    if (split.enrolled.length >= shots) {
      split.heldOut.push(photo);
      continue;
    }
    const attempt = tryEnroll(facesOf(cache, photo).faces, split.enrolled, distances);
    if (attempt === 'duplicate') split.duplicates += 1;
    else if (attempt === 'refused') {
      split.refused += 1;
      split.heldOut.push(photo);
    } else split.enrolled.push(attempt.descriptor);
  }
  return split;
}
