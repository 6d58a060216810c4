import type { GroupAccuracy } from './accuracy.ts';
import type { GroupPhotoTally } from './group-photos.ts';
import { HARD_VARIANTS, type HardFaces, type HardTally } from './hard-faces.ts';
import { rate, TARGETS, type ReportRow } from './report.ts';
import { addStrangers, emptyStrangers } from './tally.ts';

/** Targets for pictures of a group enrolled from two portraits per member. */
export const GROUP_PHOTO_TARGETS = { right: 0.75, wrong: 0.03, strangers: 0.03 } as const;

/** One group at another number of photos per member: named right, wrong, strangers named (all sets together). */
export function shotsRows(accuracy: GroupAccuracy, shots: number): ReportRow[] {
  const strangers = emptyStrangers();
  for (const tally of Object.values(accuracy.strangers)) addStrangers(strangers, tally);
  const few = shots <= 2;
  const label = `${accuracy.group}, ${shots} photos per member`;
  const basis = `${accuracy.top1BySplit.length} splits, ${accuracy.enrolledPerSplit} enrolled per split`;
  return [
    rate(`${label}: top-1`, accuracy.heldOut.correct, accuracy.heldOut.photos, null, 'atLeast', basis),
    rate(`${label}: wrong`, accuracy.heldOut.wrong, accuracy.heldOut.photos, few ? TARGETS.fewShots.wrong : null, 'atMost', 'named as another member'),
    rate(`${label}: strangers named`, strangers.named, strangers.faces, few ? TARGETS.fewShots.strangers : null, 'atMost', 'Western faces, TV cast and the other K-pop group together'),
  ];
}

export function groupPhotoRows(group: string, tally: GroupPhotoTally, shots: number, splits: number): ReportRow[] {
  const basis = `${group} enrolled from ${shots} portraits per member, ${splits} splits`;
  return [
    rate(`Group photos: faces found`, tally.found, tally.heads, null, 'atLeast', `labelled heads of the group photos in blackpink_group_dlcv (2–4 members each); ${basis}`),
    rate(`Group photos: named right`, tally.right, tally.heads, GROUP_PHOTO_TARGETS.right, 'atLeast', `of all labelled heads; ${tally.byContext} decisions over all pictures were named by the picture's context`),
    rate(`Group photos: named wrong`, tally.wrong, tally.heads, GROUP_PHOTO_TARGETS.wrong, 'atMost', 'named as another member'),
    rate(`Single-member photos of the same set: named right`, tally.singleRight, tally.singleHeads, null, 'atLeast', `wrong ${tally.singleWrong}`),
    rate(`Group photos: unlabelled faces named`, tally.unlabelledNamed, tally.unlabelled, null, 'atMost', 'fans, staff, background people (not boxed in the set; some may be members)'),
    rate(`Group photos of strangers: faces named`, tally.strangerNamed, tally.strangerFaces, GROUP_PHOTO_TARGETS.strangers, 'atMost', 'multiface_vladmandic, the TV cast\'s and deepface\'s group photos, LE SSERAFIM\'s, facenet-pytorch\'s'),
    rate(`Members beside strangers: named right`, tally.mixedRight, tally.mixedMembers, null, 'atLeast', `two held-out members and two strangers decided as one picture (faces from separate photos); wrong ${tally.mixedWrong}`),
    rate(`Strangers beside members: named`, tally.mixedStrangersNamed, tally.mixedStrangers, GROUP_PHOTO_TARGETS.strangers, 'atMost', 'the strangers of those pictures: LE SSERAFIM members and Western faces in turn'),
  ];
}

function hardRow(label: string, tally: HardTally, notes: string): ReportRow {
  return rate(label, tally.right, tally.photos, null, 'atLeast', `found ${tally.found}, wrong ${tally.wrong}; ${notes}`);
}

export function hardFaceRows(hard: HardFaces, shots: number): ReportRow[] {
  const basis = `BLACKPINK, ${shots} photos per member, one split; up to 10 held-out photos per member with a face ≥ 120 px`;
  return [
    ...HARD_VARIANTS.map((variant) => hardRow(`Hard faces: ${variant}: named right`, hard.variants[variant], basis)),
    hardRow('Heads turned (nose ≥ 0.25 eye distances off centre): named right', hard.turned, 'all held-out photos of that split'),
    hardRow('Heads facing the camera: named right', hard.frontal, 'all held-out photos of that split'),
  ];
}
