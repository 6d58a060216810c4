import type { LinearSvmModel } from './linear-svm.ts';

/** A trained per-group model as stored (JSON): which embedder made it, the group's geometry, the SVM and the open-set calibration. */
export interface GroupModelPayload {
  /** 2: the calibration carries its confidence scale and context rule (format 1 models are retrained). */
  format: 2;
  embedderId: string;
  trainedAt: string;
  members: { key: string; name: string; samples: number }[];
  /** Mean of all the group's descriptors, subtracted before comparing (zeros when the embedder's profile does not centre). */
  center: string;
  /** Per member, the unit mean of its centred, unit-length descriptors (base64 float32). */
  centroids: string[];
  /** Linear SVM over the centred unit descriptors; null for a one-member group. */
  svm: LinearSvmModel | null;
  calibration: Calibration;
  /** Faces admins approved from fans' corrections (member index, descriptor): the same shot gets the same name. */
  exemplars?: { member: number; descriptor: string }[];
  /** How close (descriptor distance) a face must be to an exemplar to be that shot. */
  exemplarDistance?: number;
}

export interface Calibration {
  /** Per member, the cosine to her centroid at which a face is as likely her as not (confidence 0.5). */
  acceptCosines: number[];
  /** Cosine lead over the runner-up required when the SVM and the nearest centroid disagree. */
  disagreementMargin: number;
  /** The 99th percentile of other members' samples against each centroid, as measured at training. */
  impostorCosineQ99: number | null;
  /** Width of the confidence curve around the acceptance cosines, in cosine units. */
  confidenceScale: number;
  /**
   * In a picture where at least `minFaces` faces are named at the acceptance cosines, the group is evidently there:
   * its other faces may be named down to this cosine (jointly, each member once). Null: no such rule.
   */
  context: { acceptCosine: number; minFaces: number } | null;
}

/** One face's standing against the group, before the lineup decision. */
export interface FaceScores {
  /** Cosine to each member's centroid, in member order. */
  cosines: number[];
  /** Confidence in [0,1] per member: 0.5 at the acceptance threshold. */
  confidences: number[];
  /** The SVM's pick (member index), or null without an SVM. */
  svmChoice: number | null;
}
