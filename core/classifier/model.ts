import type { LinearSvmModel } from './linear-svm.ts';

/** A trained per-group model as stored (JSON): which embedder made it, the group's geometry, the SVM and the open-set calibration. */
export interface GroupModelPayload {
  format: 1;
  embedderId: string;
  trainedAt: string;
  members: { key: string; name: string; samples: number }[];
  /** Mean of all the group's descriptors: subtracting it leaves what tells the members apart. */
  center: string;
  /** Per member, the unit mean of its centred, unit-length descriptors (base64 float32). */
  centroids: string[];
  /** Linear SVM over the centred unit descriptors; null for a one-member group. */
  svm: LinearSvmModel | null;
  calibration: Calibration;
}

export interface Calibration {
  /** Cosine to a member's centroid at which a face is as likely that member as not (confidence 0.5). */
  acceptCosine: number;
  /** Cosine lead over the runner-up required when the SVM and the nearest centroid disagree. */
  disagreementMargin: number;
  /** The 99th percentile of other members' samples against each centroid, as measured at training. */
  impostorCosineQ99: number | null;
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
