import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decideFaces, fitGroupModel, loadGroupModel, scoreFace, type LoadedGroupModel } from '../../core/classifier/index.ts';
import type { RecognitionProfile } from '../../core/faces/profiles.ts';
import type { FaceObservation } from '../../core/types.ts';
import { facesOf, largestFace, type DescriptorCache } from './descriptors.ts';
import { FACES_ROOT, type Identity } from './faces-folder.ts';
import { seededRandom, shuffled } from './random.ts';
import { splitMember, type MemberSplit } from './split.ts';

/** A labelled head in blackpink_group_dlcv's boxes.csv (original pixels). */
export interface LabelledHead {
  image: string;
  member: string;
  box: { x0: number; y0: number; x1: number; y1: number };
}

export const GROUP_PHOTO_SET = 'blackpink_group_dlcv';

export async function readLabelledHeads(): Promise<LabelledHead[]> {
  const rows = (await readFile(path.join(FACES_ROOT, GROUP_PHOTO_SET, 'boxes.csv'), 'utf8')).trim().split('\n').slice(1);
  return rows.map((row) => {
    const [image = '', member = '', x0 = '0', y0 = '0', x1 = '0', y1 = '0'] = row.split(',');
    return { image: path.join(FACES_ROOT, GROUP_PHOTO_SET, image), member, box: { x0: Number(x0), y0: Number(y0), x1: Number(x1), y1: Number(y1) } };
  });
}

export interface GroupPhotoTally {
  /** Labelled heads in the group photos (2–4 members each), found by the detector, named right, named wrong. */
  heads: number;
  found: number;
  right: number;
  wrong: number;
  byContext: number;
  /** The same in the single-member photos of the set. */
  singleHeads: number;
  singleRight: number;
  singleWrong: number;
  /** Faces without a label (fans, staff) that got a name. */
  unlabelledNamed: number;
  unlabelled: number;
  /** Group photos of people outside the group. */
  strangerFaces: number;
  strangerNamed: number;
  /** Two held-out members and two people of another group or Western faces decided together as one picture. */
  mixedMembers: number;
  mixedRight: number;
  mixedWrong: number;
  mixedStrangers: number;
  mixedStrangersNamed: number;
}

export interface GroupPhotoSettings {
  splits: number;
  seed: number;
  /** Portraits enrolled per member. */
  shots: number;
  embedderId: string;
  profile: RecognitionProfile;
}

export interface GroupPhotoSets {
  members: Identity[];
  heads: LabelledHead[];
  strangerPictures: string[];
  /** People of another group, and Western faces, to mix into pictures with members. */
  otherGroup: Identity[];
  western: Identity[];
}

const MIXED_PER_SPLIT = 60;

function emptyTally(): GroupPhotoTally {
  return { heads: 0, found: 0, right: 0, wrong: 0, byContext: 0, singleHeads: 0, singleRight: 0, singleWrong: 0, unlabelledNamed: 0, unlabelled: 0, strangerFaces: 0, strangerNamed: 0, mixedMembers: 0, mixedRight: 0, mixedWrong: 0, mixedStrangers: 0, mixedStrangersNamed: 0 };
}

function decide(model: LoadedGroupModel, faces: readonly FaceObservation[]): ReturnType<typeof decideFaces> {
  return decideFaces(model, faces.map((face) => scoreFace(model, face.descriptor)));
}

const centreInside = (face: FaceObservation, head: LabelledHead): boolean => {
  const x = face.box.x + face.box.width / 2;
  const y = face.box.y + face.box.height / 2;
  return x >= head.box.x0 && x <= head.box.x1 && y >= head.box.y0 && y <= head.box.y1;
};

/** Each labelled head against the detected face whose centre is inside it (the set's boxes are loose head boxes). */
function tallyLabelledPicture(tally: GroupPhotoTally, model: LoadedGroupModel, cache: DescriptorCache, image: string, heads: readonly LabelledHead[]): void {
  const faces = facesOf(cache, image).faces;
  const decisions = decide(model, faces);
  const names = model.payload.members.map((member) => member.key);
  const group = heads.length > 1;
  const matched = new Set<number>();
  for (const head of heads) {
    if (group) tally.heads += 1;
    else tally.singleHeads += 1;
    const index = faces.findIndex((face, position) => !matched.has(position) && centreInside(face, head));
    const decision = decisions[index];
    if (index < 0 || !decision) continue;
    matched.add(index);
    if (group) tally.found += 1;
    if (decision.byContext) tally.byContext += 1;
    if (decision.member === null) continue;
    const right = names[decision.member] === head.member;
    if (group) tally[right ? 'right' : 'wrong'] += 1;
    else tally[right ? 'singleRight' : 'singleWrong'] += 1;
  }
  faces.forEach((_, position) => {
    if (matched.has(position)) return;
    tally.unlabelled += 1;
    if (decisions[position]?.member !== null) tally.unlabelledNamed += 1;
  });
}

function tallyMixedPictures(tally: GroupPhotoTally, model: LoadedGroupModel, cache: DescriptorCache, splits: readonly MemberSplit[], sets: GroupPhotoSets, random: () => number): void {
  const keys = model.payload.members.map((member) => member.key);
  for (let picture = 0; picture < MIXED_PER_SPLIT; picture += 1) {
    const members = shuffled(splits, random).slice(0, 2).flatMap((split) => {
      const face = largestFace(facesOf(cache, split.heldOut[Math.floor(random() * split.heldOut.length)] ?? ''));
      return face ? [{ key: split.name, face }] : [];
    });
    const pool = (picture % 2 === 0 ? sets.otherGroup : sets.western).flatMap((identity) => identity.photos);
    const strangers = shuffled(pool, random).slice(0, 2).flatMap((photo) => largestFace(facesOf(cache, photo)) ?? []);
    const decisions = decide(model, [...members.map((entry) => entry.face), ...strangers]);
    members.forEach((entry, index) => {
      const member = decisions[index]?.member ?? null;
      tally.mixedMembers += 1;
      if (member !== null) tally[keys[member] === entry.key ? 'mixedRight' : 'mixedWrong'] += 1;
    });
    for (const decision of decisions.slice(members.length)) {
      tally.mixedStrangers += 1;
      if (decision.member !== null) tally.mixedStrangersNamed += 1;
    }
  }
}

/**
 * The group enrolled from a few portraits per member (the real enrollment rule), then every face of its labelled
 * group photos, of other people's group photos, and of pictures mixing members with strangers, decided together
 * per picture as identify does, over seeded splits.
 */
export function measureGroupPhotos(sets: GroupPhotoSets, cache: DescriptorCache, settings: GroupPhotoSettings): GroupPhotoTally {
  const tally = emptyTally();
  const byImage = new Map<string, LabelledHead[]>();
  for (const head of sets.heads) byImage.set(head.image, [...(byImage.get(head.image) ?? []), head]);
  for (let index = 0; index < settings.splits; index += 1) {
    const random = seededRandom(settings.seed * 7919 + index);
    const splits = sets.members.map((member) => splitMember(member, cache, settings.shots, random, settings.profile.enroll));
    const model = loadGroupModel(fitGroupModel(splits.map((split) => ({ key: split.name, name: split.name, embeddings: split.enrolled })), settings.embedderId, settings.profile.classifier));
    for (const [image, heads] of byImage) tallyLabelledPicture(tally, model, cache, image, heads);
    for (const picture of sets.strangerPictures) {
      const decisions = decide(model, facesOf(cache, picture).faces);
      tally.strangerFaces += decisions.length;
      tally.strangerNamed += decisions.filter((decision) => decision.member !== null).length;
    }
    tallyMixedPictures(tally, model, cache, splits, sets, random);
  }
  return tally;
}
