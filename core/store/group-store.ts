/**
 * Servers (tenants) → groups → members → samples, plus each group's trained model and settings.
 *
 * Commit protocol, so nothing is ever half-written:
 * - A group exists when its key is in the server's index. Creating writes the group record, then
 *   the index; deleting and renaming change the index first and clean up the old records after.
 * - Sample changes write the new sample records first and then the group record, the single
 *   commit point; removals write the group record first and delete the sample records after.
 * A crash in between leaves only unreferenced records, never a group pointing at missing samples.
 * Read-modify-write is serialised per server through `locks`: the default KeyedMutex excludes
 * callers in this process only; processes sharing one store (Redis) pass RedisLocks, which
 * excludes them all.
 */
import { randomUUID } from 'node:crypto';
import { IdolensError } from '../errors.ts';
import {
  requireMember, sampleIdAt, withFlag, withRevisionBumped, withSamplesAdded, withServerSettings, withSettings, withoutMember, withoutSample,
} from './group-edits.ts';
import { copyGroup, copyServer } from './group-copy.ts';
import { FeedbackStore } from './feedback-store.ts';
import { withoutMemberFeedback } from './feedback-edits.ts';
import { SERVER_LOCK_PREFIX } from './store-base.ts';
import { assertServerId, displayName, nameKey } from './names.ts';
import type {
  GroupRecord, GroupSettingsPatch, NewSample, SampleLocation, SampleRecord, ServerSettings, ServerSettingsPatch, StoredModel,
} from './records.ts';

/** A sample's descriptor made again by another embedder (`from`: the embedder it is replacing). */
export interface EmbeddingUpdate {
  id: string;
  from: string;
  embedding: Float32Array;
  embedderId: string;
}

export interface MemberSamples {
  member: string;
  samples: readonly NewSample[];
}

export class GroupStore extends FeedbackStore {
  async listGroups(server: string): Promise<GroupRecord[]> {
    return this.locked(server, async () => {
      const keys = await this.io.readIndex(server);
      return Promise.all(keys.map(async (key) => this.readIndexedGroup(server, key)));
    });
  }

  /**
   * One group's record, read without the cross-process lock (every identify reads it): the commit order makes
   * a lone read safe, and a group deleted between the index and its record reads as absent.
   */
  async getGroup(server: string, name: string): Promise<GroupRecord | undefined> {
    const key = nameKey(name);
    assertServerId(server);
    const index = await this.io.readIndex(server);
    return index.includes(key) ? this.io.readGroup(server, key) : undefined;
  }

  async requireGroup(server: string, name: string): Promise<GroupRecord> {
    const group = await this.getGroup(server, name);
    if (!group) throw await this.groupNotFound(server, name);
    return group;
  }

  /** `request`: who asks; the same request asking again (a retried job) gets the group it already created. */
  async createGroup(server: string, name: string, request?: string): Promise<GroupRecord> {
    const group: GroupRecord = { key: nameKey(name), name: displayName(name), createdAt: now(), revision: 0, members: [], settings: {}, ...(request === undefined ? {} : { changedBy: request }) };
    return this.locked(server, async () => {
      const index = await this.io.readIndex(server);
      if (index.includes(group.key)) return this.alreadyDoneBy(server, group.key, request);
      // A crash during an earlier delete may have left this key's model behind; it must not look trained.
      await this.io.deleteModel(server, group.key);
      await this.io.writeGroup(server, group);
      await this.io.writeIndex(server, [...index, group.key]);
      return group;
    });
  }

  /** Removes the group, its samples, its model and its index entry; returns what was removed. */
  /** `request` as for createGroup: a retry after the delete happened gets the group it deleted. */
  async deleteGroup(server: string, name: string, request?: string): Promise<GroupRecord> {
    return this.locked(server, async () => {
      const deletedBefore = request === undefined ? undefined : await this.io.readDeletionReceipt(server, request);
      if (deletedBefore !== undefined && deletedBefore.key === nameKey(name)) return deletedBefore;
      const group = await this.lockedRequireGroup(server, name);
      if (request !== undefined) await this.io.writeDeletionReceipt(server, request, group);
      const index = await this.io.readIndex(server);
      await this.io.writeIndex(server, index.filter((key) => key !== group.key));
      await this.cleanUp(async () => this.discardGroupRecords(server, group));
      await this.cleanUp(async () => this.retargetDefaultGroup(server, group.key, undefined));
      return group;
    });
  }

  /** `request` as for createGroup: a retry after the rename happened gets the renamed group. */
  async renameGroup(server: string, from: string, to: string, request?: string): Promise<GroupRecord> {
    const target = { key: nameKey(to), name: displayName(to) };
    return this.locked(server, async () => {
      const source = await this.findGroup(server, nameKey(from));
      if (!source) return this.alreadyDoneBy(server, target.key, request, from);
      const renamed: GroupRecord = { ...source, ...target, ...(request === undefined ? {} : { changedBy: request }) };
      if (target.key === source.key) {
        await this.io.writeGroup(server, renamed);
        return renamed;
      }
      const index = await this.io.readIndex(server);
      if (index.includes(target.key)) throw new IdolensError('group_exists', undefined, { group: target.name });
      await copyGroup(this.io, { server, group: source }, { server, group: renamed });
      await this.io.writeIndex(server, index.map((key) => (key === source.key ? target.key : key)));
      await this.cleanUp(async () => this.discardGroupRecords(server, source));
      await this.cleanUp(async () => this.retargetDefaultGroup(server, source.key, target.key));
      return renamed;
    });
  }

  /** Enrolls samples for a member (created if new) in one commit. An empty list changes nothing. */
  async addSamples(server: string, groupName: string, memberName: string, samples: readonly NewSample[]): Promise<GroupRecord> {
    return this.addSamplesToMembers(server, groupName, [{ member: memberName, samples }]);
  }

  /** Adds samples to several members in one commit: a failure anywhere leaves the group exactly as it was. */
  async addSamplesToMembers(server: string, groupName: string, batches: readonly MemberSamples[]): Promise<GroupRecord> {
    const named = batches.map((batch) => ({ member: { key: nameKey(batch.member), name: displayName(batch.member) }, samples: batch.samples }));
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      let updated = group;
      const records: SampleRecord[] = [];
      for (const { member, samples } of named) {
        if (samples.length === 0) continue;
        const memberRecords = samples.map((sample): SampleRecord => ({ ...sample, id: randomUUID(), memberKey: member.key }));
        updated = withSamplesAdded(updated, member, memberRecords.map((record) => record.id), now());
        records.push(...memberRecords);
      }
      if (records.length === 0) return group;
      await this.io.writeSamples(server, group.key, records);
      await this.io.writeGroup(server, updated);
      return updated;
    });
  }

  /** All samples of the group, or of one member, in contact-sheet order. */
  async getSamples(server: string, groupName: string, memberName?: string): Promise<SampleRecord[]> {
    const memberKey = memberName === undefined ? undefined : nameKey(memberName);
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const members = memberKey === undefined ? group.members : [requireMember(group, memberKey)];
      return this.io.readSamples(server, group.key, members.flatMap((member) => member.sampleIds));
    });
  }

  /** Where a file with these exact bytes is already enrolled in the group, if anywhere. */
  async findSampleByHash(server: string, groupName: string, contentHash: string): Promise<SampleLocation | undefined> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      for (const member of group.members) {
        const samples = await this.io.readSamples(server, group.key, member.sampleIds);
        const index = samples.findIndex((sample) => sample.contentHash === contentHash);
        const sample = samples[index];
        if (sample) return { member, sampleNumber: index + 1, sample };
      }
      return undefined;
    });
  }

  async forgetMember(server: string, groupName: string, memberName: string): Promise<GroupRecord> {
    const memberKey = nameKey(memberName);
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const member = requireMember(group, memberKey);
      const updated = withoutMember(group, member.key);
      await this.io.writeGroup(server, updated);
      await this.cleanUp(async () => this.io.deleteSamples(server, group.key, member.sampleIds));
      await this.cleanUp(async () => this.io.writeFeedback(server, group.key, withoutMemberFeedback(await this.io.readFeedback(server, group.key), member.key)));
      return updated;
    });
  }

  /** `sampleNumber` is 1-based, as on the member's contact sheet. Removing the last sample removes the member. */
  async forgetSample(server: string, groupName: string, memberName: string, sampleNumber: number): Promise<GroupRecord> {
    const memberKey = nameKey(memberName);
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const sampleId = sampleIdAt(group, requireMember(group, memberKey), sampleNumber);
      const updated = withoutSample(group, memberKey, sampleId);
      await this.io.writeGroup(server, updated);
      await this.cleanUp(async () => this.io.deleteSamples(server, group.key, [sampleId]));
      return updated;
    });
  }

  /**
   * Flags (or clears) a sample. The group record is committed first: if the sample write then
   * fails, the only effect is a model that looks stale and retrains to the same result.
   */
  async setFlag(server: string, groupName: string, memberName: string, sampleNumber: number, flagged: boolean, reason?: string): Promise<GroupRecord> {
    const memberKey = nameKey(memberName);
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const sampleId = sampleIdAt(group, requireMember(group, memberKey), sampleNumber);
      const [sample] = await this.io.readSamples(server, group.key, [sampleId]);
      if (!sample) throw new IdolensError('internal', 'A sample vanished while flagging it.');
      const changed = withFlag(sample, flagged, reason);
      if (changed.flagged === sample.flagged && changed.flagReason === sample.flagReason) return group;
      const updated = withRevisionBumped(group);
      await this.io.writeGroup(server, updated);
      await this.io.writeSamples(server, group.key, [changed]);
      return updated;
    });
  }

  /**
   * Replaces descriptors computed again with another embedder, in one commit. A sample removed meanwhile, or
   * already changed by someone else (its embedder is no longer `from`), is left as it is. Returns the group.
   */
  async replaceEmbeddings(server: string, groupName: string, updates: readonly EmbeddingUpdate[]): Promise<GroupRecord> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const present = new Set(group.members.flatMap((member) => member.sampleIds));
      const byId = new Map(updates.filter((update) => present.has(update.id)).map((update) => [update.id, update]));
      const samples = await this.io.readSamples(server, group.key, [...byId.keys()]);
      const changed = samples.flatMap((sample) => {
        const update = byId.get(sample.id);
        return update && sample.embedderId === update.from ? [{ ...sample, embedding: update.embedding, embedderId: update.embedderId }] : [];
      });
      if (changed.length === 0) return group;
      const updated = withRevisionBumped(group);
      await this.io.writeSamples(server, group.key, changed);
      await this.io.writeGroup(server, updated);
      return updated;
    });
  }

  /** The stored model, if any; compare its `groupRevision` with the group's `revision` to spot staleness. */
  async getModel<T>(server: string, groupName: string): Promise<StoredModel<T> | undefined> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      return this.io.readModel<T>(server, group.key);
    });
  }

  async putModel<T>(server: string, groupName: string, model: StoredModel<T>): Promise<void> {
    await this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      await this.io.writeModel(server, group.key, model);
    });
  }

  /** Settings do not change what training sees, so the revision stays. `null` resets a field. */
  async updateSettings(server: string, groupName: string, patch: GroupSettingsPatch): Promise<GroupRecord> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const updated = withSettings(group, patch);
      await this.io.writeGroup(server, updated);
      return updated;
    });
  }

  /**
   * Moves every group of `from` (and its settings) to `to`, which must have none yet: a chat that got a new id.
   * Both servers are locked, in a fixed order so that two moves cannot wait on each other.
   */
  async moveServer(from: string, to: string): Promise<string[]> {
    const [first, second] = [assertServerId(from), assertServerId(to)].sort();
    return this.locks.run(`${SERVER_LOCK_PREFIX}${first}`, () => this.locks.run(`${SERVER_LOCK_PREFIX}${second}`, async () => {
      const keys = await this.io.readIndex(from);
      if (keys.length === 0) return [];
      const moved = await Promise.all(keys.map(async (key) => this.readIndexedGroup(from, key)));
      await copyServer(this.io, { server: from, groups: moved }, to);
      await this.io.writeIndex(from, []);
      await this.cleanUp(async () => {
        for (const group of moved) await this.discardGroupRecords(from, group);
        await this.io.writeServerSettings(from, {});
      });
      return moved.map((group) => group.name);
    }));
  }

  /** The server's settings, with the default group's display name (left out when that group is gone). */
  async serverSettings(server: string): Promise<ServerSettings> {
    assertServerId(server);
    const { defaultGroup, ...rest } = await this.io.readServerSettings(server);
    const group = defaultGroup === undefined ? undefined : await this.findGroup(server, defaultGroup);
    return group === undefined ? rest : { ...rest, defaultGroup: group.name };
  }

  /** `defaultGroup` must name one of the server's groups. */
  async updateServerSettings(server: string, patch: ServerSettingsPatch): Promise<ServerSettings> {
    return this.locked(server, async () => {
      const keyed: ServerSettingsPatch = typeof patch.defaultGroup === 'string' ? { ...patch, defaultGroup: (await this.lockedRequireGroup(server, patch.defaultGroup)).key } : patch;
      const stored = withServerSettings(await this.io.readServerSettings(server), keyed);
      await this.io.writeServerSettings(server, stored);
      return this.serverSettings(server);
    });
  }

  /**
   * Creates a group with all its members and samples in one commit (a pack import): the samples and the group record
   * are written before the index entry, so the group appears whole or not at all. `request` as for createGroup.
   */
  async createGroupWithSamples(server: string, name: string, batches: readonly MemberSamples[], request?: string): Promise<GroupRecord> {
    const empty: GroupRecord = { key: nameKey(name), name: displayName(name), createdAt: now(), revision: 0, members: [], settings: {}, ...(request === undefined ? {} : { changedBy: request }) };
    const named = batches.map((batch) => ({ member: { key: nameKey(batch.member), name: displayName(batch.member) }, samples: batch.samples }));
    return this.locked(server, async () => {
      const index = await this.io.readIndex(server);
      if (index.includes(empty.key)) return this.alreadyDoneBy(server, empty.key, request);
      let group = empty;
      const records: SampleRecord[] = [];
      for (const { member, samples } of named) {
        const memberRecords = samples.map((sample): SampleRecord => ({ ...sample, id: randomUUID(), memberKey: member.key }));
        group = withSamplesAdded(group, member, memberRecords.map((record) => record.id), now());
        records.push(...memberRecords);
      }
      await this.io.deleteModel(server, group.key);
      await this.io.writeSamples(server, group.key, records);
      await this.io.writeGroup(server, group);
      await this.io.writeIndex(server, [...index, group.key]);
      return group;
    });
  }
}

function now(): string {
  return new Date().toISOString();
}

