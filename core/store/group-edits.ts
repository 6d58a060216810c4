/** Pure edits of a group record: each returns a new record and never touches storage. */
import { IdolensError } from '../errors.ts';
import type { GroupRecord, GroupSettings, GroupSettingsPatch, MemberRecord, SampleRecord, ServerSettings, ServerSettingsPatch } from './records.ts';

export function findMember(group: GroupRecord, memberKey: string): MemberRecord | undefined {
  return group.members.find((member) => member.key === memberKey);
}

export function requireMember(group: GroupRecord, memberKey: string): MemberRecord {
  const member = findMember(group, memberKey);
  if (!member) throw new IdolensError('member_not_found', undefined, { group: group.name, member: memberKey });
  return member;
}

/** The id of the 1-based `sampleNumber` on the member's contact sheet. */
export function sampleIdAt(group: GroupRecord, member: MemberRecord, sampleNumber: number): string {
  const id = Number.isInteger(sampleNumber) ? member.sampleIds[sampleNumber - 1] : undefined;
  if (id === undefined) {
    throw new IdolensError('sample_not_found', undefined, { group: group.name, member: member.name, sample: String(sampleNumber) });
  }
  return id;
}

function bumped(group: GroupRecord, members: MemberRecord[]): GroupRecord {
  return { ...group, members, revision: group.revision + 1 };
}

export function withSamplesAdded(group: GroupRecord, member: { key: string; name: string }, sampleIds: readonly string[], now: string): GroupRecord {
  const existing = findMember(group, member.key);
  if (!existing) {
    return bumped(group, [...group.members, { key: member.key, name: member.name, sampleIds: [...sampleIds], createdAt: now }]);
  }
  const updated = { ...existing, sampleIds: [...existing.sampleIds, ...sampleIds] };
  return bumped(group, group.members.map((candidate) => (candidate === existing ? updated : candidate)));
}

export function withoutMember(group: GroupRecord, memberKey: string): GroupRecord {
  return bumped(group, group.members.filter((member) => member.key !== memberKey));
}

/** Removing a member's last sample removes the member. */
export function withoutSample(group: GroupRecord, memberKey: string, sampleId: string): GroupRecord {
  const members = group.members.flatMap((member) => {
    if (member.key !== memberKey) return [member];
    const sampleIds = member.sampleIds.filter((id) => id !== sampleId);
    return sampleIds.length === 0 ? [] : [{ ...member, sampleIds }];
  });
  return bumped(group, members);
}

/** A flag changes what training may use, so it counts as a change of the group. */
export function withRevisionBumped(group: GroupRecord): GroupRecord {
  return bumped(group, group.members);
}

export function withSettings(group: GroupRecord, patch: GroupSettingsPatch): GroupRecord {
  const settings: GroupSettings = { ...group.settings };
  if (patch.unknownThreshold === null) delete settings.unknownThreshold;
  else if (patch.unknownThreshold !== undefined) settings.unknownThreshold = checkedThreshold(patch.unknownThreshold);
  return { ...group, settings };
}

function checkedThreshold(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`unknownThreshold must be within 0..1, got ${value}`);
  return value;
}

export function withFlag(sample: SampleRecord, flagged: boolean, reason: string | undefined): SampleRecord {
  const changed: SampleRecord = { ...sample, flagged };
  delete changed.flagReason;
  if (flagged && reason !== undefined) changed.flagReason = reason;
  return changed;
}

/** `patch.defaultGroup` is a group key here. */
export function withServerSettings(settings: ServerSettings, patch: ServerSettingsPatch): ServerSettings {
  const changed: ServerSettings = { ...settings };
  if (patch.defaultGroup === null) delete changed.defaultGroup;
  else if (patch.defaultGroup !== undefined) changed.defaultGroup = patch.defaultGroup;
  if (patch.outputSize === null) delete changed.outputSize;
  else if (patch.outputSize !== undefined) changed.outputSize = patch.outputSize;
  return changed;
}
