import { IdolensError } from '../errors.ts';
import type { ClassifierProfile } from '../faces/profiles.ts';
import { centredUnit, centroid, dot, meanVector } from './geometry.ts';
import { trainLinearSvm } from './linear-svm.ts';
import type { Calibration, GroupModelPayload } from './model.ts';
import { encodeFloat32, quantile } from './vectors.ts';

export interface TrainingMember {
  key: string;
  name: string;
  embeddings: Float32Array[];
}

/**
 * Fits the group model: centre of the group (when the profile centres), one centroid per member, a linear SVM
 * (libsvm) on the unit features, and the acceptance threshold calibrated from how close each member's photos come
 * to the others, never below the embedder's floor.
 */
export function fitGroupModel(members: readonly TrainingMember[], embedderId: string, profile: ClassifierProfile): GroupModelPayload {
  const usable = members.filter((member) => member.embeddings.length > 0);
  if (usable.length < 2) throw new IdolensError('not_enough_members');
  const dimensions = usable[0]?.embeddings[0]?.length ?? 0;
  const all = usable.flatMap((member) => member.embeddings);
  const center = profile.centre ? meanVector(all, dimensions) : new Float32Array(dimensions);
  const centred = usable.map((member) => member.embeddings.map((embedding) => centredUnit(embedding, center)));
  const centroids = centred.map((vectors) => centroid(vectors, dimensions));
  const features = centred.flat();
  const labels = centred.flatMap((vectors, memberIndex) => vectors.map(() => memberIndex));
  return {
    format: 2,
    embedderId,
    trainedAt: new Date().toISOString(),
    members: usable.map((member) => ({ key: member.key, name: member.name, samples: member.embeddings.length })),
    center: encodeFloat32(center),
    centroids: centroids.map(encodeFloat32),
    svm: trainLinearSvm(features, labels, profile.svmCost),
    calibration: calibrate(centred, centroids, profile),
  };
}

/** How high another member's photo scores against each centroid: a stand-in for a lookalike stranger. */
function calibrate(centred: Float32Array[][], centroids: Float32Array[], profile: ClassifierProfile): Calibration {
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
  const groupFloor = profile.baseAcceptCosine - profile.smallGroupStep * Math.max(0, profile.fullGroupMembers - centroids.length);
  const acceptCosines = centred.map((vectors) => {
    const floor = groupFloor + profile.fewPhotosStep * Math.max(0, profile.enoughPhotos - vectors.length);
    return Math.min(profile.maxAcceptCosine, Math.max(floor, (q99 ?? 0) + profile.impostorAllowance));
  });
  const context = profile.contextAcceptCosine === null ? null : { acceptCosine: profile.contextAcceptCosine, minFaces: profile.contextMinFaces };
  return { acceptCosines, disagreementMargin: profile.disagreementMargin, impostorCosineQ99: q99, confidenceScale: profile.confidenceScale, context };
}
