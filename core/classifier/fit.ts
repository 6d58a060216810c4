import { IdolensError } from '../errors.ts';
import { centredUnit, centroid, dot, meanVector } from './geometry.ts';
import { trainLinearSvm } from './linear-svm.ts';
import type { Calibration, GroupModelPayload } from './model.ts';
import { encodeFloat32, quantile } from './vectors.ts';

export interface TrainingMember {
  key: string;
  name: string;
  embeddings: Float32Array[];
}

/** Measured on held-out photos (`npm run bench`): below this cosine, strangers start being named. */
export const BASE_ACCEPT_COSINE = 0.38;
/**
 * With fewer than four members the group's centre says less about who is a stranger, and members' own photos
 * score lower: the floor drops by this much per missing member (measured with 2- and 3-member subsets of
 * BLACKPINK: 2 members at 0.30 name 65–73% instead of 49–54% with ≤ 4.1% of strangers; 3 at 0.34, 82% and 3.0%).
 */
const SMALL_GROUP_STEP = 0.04;
const FULL_GROUP_MEMBERS = 4;
const IMPOSTOR_ALLOWANCE = 0.04;
const MAX_ACCEPT_COSINE = 0.6;
const DISAGREEMENT_MARGIN = 0.06;
/** The seed's SVM setting that measured best at 2–10 samples per member. */
const SVM_COST = 10;

/**
 * Fits the group model: centre of the group, one centroid per member, a linear SVM (libsvm) on the centred
 * unit descriptors, and the acceptance threshold calibrated from how close each member's photos come to the others.
 */
export function fitGroupModel(members: readonly TrainingMember[], embedderId: string): GroupModelPayload {
  const usable = members.filter((member) => member.embeddings.length > 0);
  if (usable.length < 2) throw new IdolensError('not_enough_members');
  const dimensions = usable[0]?.embeddings[0]?.length ?? 0;
  const all = usable.flatMap((member) => member.embeddings);
  const center = meanVector(all, dimensions);
  const centred = usable.map((member) => member.embeddings.map((embedding) => centredUnit(embedding, center)));
  const centroids = centred.map((vectors) => centroid(vectors, dimensions));
  const features = centred.flat();
  const labels = centred.flatMap((vectors, memberIndex) => vectors.map(() => memberIndex));
  return {
    format: 1,
    embedderId,
    trainedAt: new Date().toISOString(),
    members: usable.map((member) => ({ key: member.key, name: member.name, samples: member.embeddings.length })),
    center: encodeFloat32(center),
    centroids: centroids.map(encodeFloat32),
    svm: trainLinearSvm(features, labels, SVM_COST),
    calibration: calibrate(centred, centroids),
  };
}

/** How high another member's photo scores against each centroid: a stand-in for a lookalike stranger. */
function calibrate(centred: Float32Array[][], centroids: Float32Array[]): Calibration {
  const impostor: number[] = [];
  centred.forEach((vectors, owner) => {
    for (const vector of vectors) {
      centroids.forEach((other, index) => {
        if (index !== owner) impostor.push(dot(vector, other));
      });
    }
  });
  impostor.sort((a, b) => a - b);
  const q99 = impostor.length > 0 ? quantile(impostor, 0.99) : null;
  const floor = BASE_ACCEPT_COSINE - SMALL_GROUP_STEP * Math.max(0, FULL_GROUP_MEMBERS - centroids.length);
  const acceptCosine = Math.min(MAX_ACCEPT_COSINE, Math.max(floor, (q99 ?? 0) + IMPOSTOR_ALLOWANCE));
  return { acceptCosine, disagreementMargin: DISAGREEMENT_MARGIN, impostorCosineQ99: q99 };
}
