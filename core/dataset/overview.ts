/**
 * What an admin looks at between enrolls: each member's photo count, photos to review and (when the model is
 * current) how well they are recognised; and a member's numbered contact sheet. Shared by the CLI and the bots.
 */
import type { CoreContext } from '../context.ts';
import { formatPercent, plural } from '../format.ts';
import { renderContactSheet } from '../render/index.ts';
import { nameKey, type SampleRecord } from '../store/index.ts';
import type { StoredGroupModel } from '../training/train-group.ts';

export interface MemberOverview {
  member: string;
  samples: number;
  flagged: number;
  /** Photos from an earlier face model that kept no crop: left out of recognition until enrolled again. */
  needPhotosAgain: number;
  /** Cross-validated share recognised, when the stored model is trained on the current photos. */
  accuracy: number | null;
}

export interface GroupOverview {
  group: string;
  members: MemberOverview[];
  /** The model is trained on the group's current photos. */
  trained: boolean;
  /** "Jennie and Jisoo are confused 3 times" lines of the current model. */
  confusions: string[];
}

export async function groupOverview(context: CoreContext, server: string, groupName: string): Promise<GroupOverview> {
  const group = await context.store.requireGroup(server, groupName);
  const samples = await context.store.getSamples(server, group.name);
  const stored = await context.store.getModel<StoredGroupModel>(server, group.name);
  const report = stored !== undefined && stored.groupRevision === group.revision ? stored.payload.report : undefined;
  const members = group.members.map((member): MemberOverview => ({
    member: member.name,
    samples: member.sampleIds.length,
    flagged: samples.filter((sample) => sample.memberKey === member.key && sample.flagged).length,
    needPhotosAgain: samples.filter((sample) => sample.memberKey === member.key && sample.embedderId !== context.embedder.id && sample.faceCrop === undefined).length,
    accuracy: report?.members.find((entry) => entry.name === member.name)?.accuracy ?? null,
  }));
  return { group: group.name, members, trained: report !== undefined, confusions: report?.confusedPairs.map((pair) => pair.hint) ?? [] };
}

export function memberOverviewLine(entry: MemberOverview): string {
  const again = entry.needPhotosAgain > 0 ? `, ${entry.needPhotosAgain} from the earlier face model to enroll again` : '';
  return `${entry.member}: ${plural(entry.samples, 'photo')}${entry.flagged > 0 ? `, ${entry.flagged} to review` : ''}${again}${entry.accuracy === null ? '' : `, ${formatPercent(entry.accuracy)} recognised`}`;
}

export interface MemberSheet {
  group: string;
  member: string;
  jpeg: Buffer;
  samples: number;
  /** Photo numbers (as on the sheet) flagged for review, with why. */
  flagged: { number: number; reason: string }[];
}

/** The member's photos as one numbered JPEG, flagged ones marked; numbers are what `forget` takes. */
export async function memberSheet(context: CoreContext, server: string, groupName: string, memberName: string): Promise<MemberSheet> {
  const group = await context.store.requireGroup(server, groupName);
  const samples = await context.store.getSamples(server, group.name, memberName);
  const member = group.members.find((entry) => entry.key === nameKey(memberName))?.name ?? memberName;
  const jpeg = await renderContactSheet({
    title: `${member} · ${group.name}`,
    tiles: samples.map((sample, index) => ({ thumbnailJpeg: sample.thumbnailJpeg, number: index + 1, flagged: sample.flagged })),
  });
  return { group: group.name, member, jpeg, samples: samples.length, flagged: flaggedPhotos(samples) };
}

/** Photos flagged for review, by their number on the contact sheet, with why. */
export function flaggedPhotos(samples: readonly SampleRecord[]): { number: number; reason: string }[] {
  return samples.flatMap((sample, index) => (sample.flagged ? [{ number: index + 1, reason: sample.flagReason ?? '' }] : []));
}

export interface KeptPhotos {
  group: string;
  member: string;
  /** The photo numbers marked checked. */
  checked: number[];
  /** What is still flagged for review afterwards. */
  toReview: { number: number; reason: string }[];
}

/**
 * Photos flagged for review that an admin checked: their flags cleared (they stay), and what is still to review.
 * With no numbers, only the list.
 */
export async function keepFlaggedPhotos(context: CoreContext, server: string, groupName: string, memberName: string, numbers: readonly number[]): Promise<KeptPhotos> {
  const group = await context.store.requireGroup(server, groupName);
  const checked = [...new Set(numbers)];
  for (const number of checked) await context.store.setFlag(server, group.name, memberName, number, false);
  const samples = await context.store.getSamples(server, group.name, memberName);
  const member = group.members.find((entry) => entry.key === nameKey(memberName))?.name ?? memberName;
  return { group: group.name, member, checked, toReview: flaggedPhotos(samples) };
}
