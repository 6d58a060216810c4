import { DEFAULT_REQUIRED_CONFIDENCE, decideFaces, fitGroupModel, loadGroupModel, scoreFace, type LoadedGroupModel } from '../../core/classifier/index.ts';
import type { RecognitionProfile } from '../../core/faces/profiles.ts';
import { facesOf, largestFace, type DescriptorCache } from './descriptors.ts';
import type { Identity } from './faces-folder.ts';
import { seededRandom } from './random.ts';
import { splitMember, type MemberSplit } from './split.ts';
import { addNaming, addStrangers, emptyNaming, emptyStrangers, fraction, type NamingTally, type StrangerTally } from './tally.ts';

/** identifyImage's confidence when the group has no unknownThreshold setting (core/identify/identify.ts). */

export interface StrangerSet {
  label: string;
  identities: Identity[];
}

export interface GroupBench {
  name: string;
  members: Identity[];
  /** The same people from other sources, tested against the group's model. */
  crossSource?: Identity[];
  strangers: StrangerSet[];
}

export interface SplitSettings {
  splits: number;
  seed: number;
  shots: number;
  embedderId: string;
  profile: RecognitionProfile;
}

export interface GroupAccuracy {
  group: string;
  heldOut: NamingTally;
  crossSource: NamingTally | null;
  strangers: Record<string, StrangerTally>;
  /** Top-1 of each split, to show the spread. */
  top1BySplit: number[];
  enrolledPerSplit: number;
  /** Members that could not reach `shots` accepted photos in some split. */
  shortMembers: string[];
  duplicatesDropped: number;
  enrollRefusals: number;
}

interface Naming {
  noFace: boolean;
  /** The member key `decideFaces` picked, or null for unknown. */
  key: string | null;
  /** The best-scoring candidate, named or not. */
  topKey: string | null;
}

function memberKey(model: LoadedGroupModel, member: number | null | undefined): string | null {
  return member === null || member === undefined ? null : model.payload.members[member]?.key ?? null;
}

/** The real decision on the photo's largest face. */
function nameLargestFace(model: LoadedGroupModel, cache: DescriptorCache, photo: string): Naming {
  const face = largestFace(facesOf(cache, photo));
  if (!face) return { noFace: true, key: null, topKey: null };
  const [decision] = decideFaces(model, [scoreFace(model, face.descriptor)], DEFAULT_REQUIRED_CONFIDENCE);
  return { noFace: false, key: memberKey(model, decision?.member), topKey: memberKey(model, decision?.candidates[0]?.member) };
}

function testMembers(model: LoadedGroupModel, cache: DescriptorCache, tests: readonly { name: string; photos: readonly string[] }[]): NamingTally {
  const tally = emptyNaming();
  for (const member of tests) {
    for (const photo of member.photos) {
      const { noFace, key, topKey } = nameLargestFace(model, cache, photo);
      tally.photos += 1;
      if (noFace) tally.noFace += 1;
      if (key === null) {
        tally.unnamed += 1;
        if (topKey === member.name) tally.unnamedTopRight += 1;
      } else if (key === member.name) tally.correct += 1;
      else tally.wrong += 1;
    }
  }
  return tally;
}

function testStrangers(model: LoadedGroupModel, cache: DescriptorCache, set: StrangerSet): StrangerTally {
  const tally = emptyStrangers();
  for (const photo of set.identities.flatMap((identity) => identity.photos)) {
    const { noFace, key } = nameLargestFace(model, cache, photo);
    tally.photos += 1;
    if (noFace) tally.noFace += 1;
    else tally.faces += 1;
    if (key !== null) tally.named += 1;
  }
  return tally;
}

function fitSplit(splits: readonly MemberSplit[], settings: SplitSettings): LoadedGroupModel {
  const members = splits.map((split) => ({ key: split.name, name: split.name, embeddings: split.enrolled }));
  return loadGroupModel(fitGroupModel(members, settings.embedderId, settings.profile.classifier));
}

/** Enroll `shots` photos per member, fit the real model, name the rest, over seeded random splits. */
export function measureGroup(group: GroupBench, cache: DescriptorCache, settings: SplitSettings): GroupAccuracy {
  const result: GroupAccuracy = {
    group: group.name,
    heldOut: emptyNaming(),
    crossSource: group.crossSource ? emptyNaming() : null,
    strangers: Object.fromEntries(group.strangers.map((set) => [set.label, emptyStrangers()])),
    top1BySplit: [],
    enrolledPerSplit: 0,
    shortMembers: [],
    duplicatesDropped: 0,
    enrollRefusals: 0,
  };
  for (let index = 0; index < settings.splits; index += 1) {
    const random = seededRandom(settings.seed * 1000 + index);
    const splits = group.members.map((member) => splitMember(member, cache, settings.shots, random, settings.profile.enroll));
    const model = fitSplit(splits, settings);
    const heldOut = testMembers(model, cache, splits.map((split) => ({ name: split.name, photos: split.heldOut })));
    addNaming(result.heldOut, heldOut);
    result.top1BySplit.push(fraction(heldOut.correct, heldOut.photos));
    if (result.crossSource && group.crossSource) addNaming(result.crossSource, testMembers(model, cache, group.crossSource));
    for (const set of group.strangers) addStrangers(result.strangers[set.label] ?? emptyStrangers(), testStrangers(model, cache, set));
    result.enrolledPerSplit = splits.reduce((sum, split) => sum + split.enrolled.length, 0);
    for (const split of splits) {
      if (split.enrolled.length < settings.shots && !result.shortMembers.includes(split.name)) result.shortMembers.push(split.name);
      result.duplicatesDropped += split.duplicates;
      result.enrollRefusals += split.refused;
    }
  }
  return result;
}
