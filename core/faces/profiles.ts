import type { EmbedderInfo } from '../types.ts';

/**
 * Every threshold that depends on an embedder's score scale, per embedder. Distances are Euclidean between
 * descriptors as the embedder gives them (ArcFace's are unit length: distance² = 2 − 2·cosine); cosines are
 * between the classifier's feature vectors. How each value was measured is in the README ("How recognition works").
 */
export interface ClassifierProfile {
  /** Subtract the group's mean descriptor before comparing (what all members share says nothing about who is who). */
  centre: boolean;
  /** The lowest acceptance cosine for a group of `fullGroupMembers` or more, measured on people outside the group. */
  baseAcceptCosine: number;
  /** The floor drops by this much per member missing below `fullGroupMembers` (small groups score lower). */
  smallGroupStep: number;
  fullGroupMembers: number;
  /** Acceptance is at least the group's own 99th-percentile impostor cosine (other members' photos) plus this. */
  impostorAllowance: number;
  maxAcceptCosine: number;
  /** A member with fewer than `enoughPhotos` photos gets a floor this much higher per missing photo (her centroid is noisier). */
  fewPhotosStep: number;
  enoughPhotos: number;
  /** Cosine lead over the SVM's pick needed to name a face the SVM did not pick. */
  disagreementMargin: number;
  /** Width of the confidence curve around the acceptance cosine. */
  confidenceScale: number;
  /**
   * In a picture where at least `contextMinFaces` faces are named at the strict threshold, the others may be named
   * down to this acceptance cosine (the group is evidently in the picture); null: no such context rule.
   */
  contextAcceptCosine: number | null;
  contextMinFaces: number;
  svmCost: number;
}

export interface EnrollDistances {
  /** Under this, two photos are the same shot (resized, recompressed, cropped). */
  nearDuplicate: number;
  /** A face in a multi-face photo is "the member" when this close to the member's samples… */
  memberMatch: number;
  /** …and the next face is at least this much farther. */
  memberMatchLead: number;
  /** A new sample farther than this from every other sample of its member is flagged for review. */
  outlier: number;
  /** …or when it is closer to another member's samples by this much. */
  otherMemberLead: number;
}

export interface SearchDistances {
  /** Two search results' faces this close are taken as the same person when counting agreement. */
  agreement: number;
  /** A face this close to the identity's centre is the member. */
  identity: number;
  /** A group of agreeing results is the member's when its centre is this close to her samples' centre. */
  anchorMatch: number;
}

export interface RecognitionProfile {
  classifier: ClassifierProfile;
  enroll: EnrollDistances;
  search: SearchDistances;
  /**
   * Descriptors farther apart than this are two people: consecutive ones split a track; unknown tracks of a clip
   * are one person only when every pair of them is closer.
   */
  samePersonDistance: number;
}

const DLIB: RecognitionProfile = {
  classifier: {
    centre: true,
    baseAcceptCosine: 0.38,
    smallGroupStep: 0.04,
    fullGroupMembers: 4,
    impostorAllowance: 0.04,
    maxAcceptCosine: 0.6,
    fewPhotosStep: 0,
    enoughPhotos: 3,
    disagreementMargin: 0.06,
    confidenceScale: 0.04,
    contextAcceptCosine: null,
    contextMinFaces: 2,
    svmCost: 10,
  },
  enroll: { nearDuplicate: 0.12, memberMatch: 0.5, memberMatchLead: 0.08, outlier: 0.55, otherMemberLead: 0.05 },
  search: { agreement: 0.5, identity: 0.34, anchorMatch: 0.4 },
  samePersonDistance: 0.42,
};

const ARCFACE: RecognitionProfile = {
  classifier: {
    centre: true,
    baseAcceptCosine: 0.29,
    smallGroupStep: 0,
    fullGroupMembers: 4,
    impostorAllowance: 0.04,
    maxAcceptCosine: 0.6,
    fewPhotosStep: 0.02,
    enoughPhotos: 3,
    disagreementMargin: 0.06,
    confidenceScale: 0.04,
    contextAcceptCosine: 0.27,
    contextMinFaces: 2,
    svmCost: 10,
  },
  enroll: { nearDuplicate: 0.3, memberMatch: 0.95, memberMatchLead: 0.15, outlier: 1.05, otherMemberLead: 0.1 },
  search: { agreement: 0.95, identity: 0.85, anchorMatch: 0.55 },
  samePersonDistance: 1.2,
};

const PROFILES: Record<EmbedderInfo['name'], RecognitionProfile> = { arcface: ARCFACE, dlib: DLIB };

export function recognitionProfile(embedder: Pick<EmbedderInfo, 'name'>): RecognitionProfile {
  return PROFILES[embedder.name];
}
