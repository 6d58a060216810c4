/**
 * The store's side of fans' feedback: each group's suggestions and tallies live in one record beside the group,
 * changed under the server's lock. Accepting suggestions adds their samples and drops them from the record in the
 * same locked section; the group record stays the commit point for samples, as for every enroll.
 */
import { randomUUID } from 'node:crypto';
import { withSamplesAdded } from './group-edits.ts';
import { displayName, nameKey } from './names.ts';
import type { FeedbackRecord, GroupRecord, NewSample, SampleRecord } from './records.ts';
import { StoreBase } from './store-base.ts';

export interface FeedbackChange<T> {
  feedback: FeedbackRecord;
  /** Samples to add, by member display name. */
  add?: readonly { member: string; sample: NewSample }[];
  result: T;
}

export abstract class FeedbackStore extends StoreBase {
  /** The group and what fans said about its answers. */
  async readFeedback(server: string, groupName: string): Promise<{ group: GroupRecord; feedback: FeedbackRecord }> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      return { group, feedback: await this.io.readFeedback(server, group.key) };
    });
  }

  /**
   * Reads the group's feedback, lets `change` decide (it may throw: nothing is written), then writes the samples it
   * adds, the group record, and the new feedback record, in that order.
   */
  async changeFeedback<T>(server: string, groupName: string, change: (feedback: FeedbackRecord, group: GroupRecord, samples: SampleRecord[]) => FeedbackChange<T>): Promise<{ group: GroupRecord; result: T }> {
    return this.locked(server, async () => {
      const group = await this.lockedRequireGroup(server, groupName);
      const samples = await this.io.readSamples(server, group.key, group.members.flatMap((member) => member.sampleIds));
      const changed = change(await this.io.readFeedback(server, group.key), group, samples);
      let updated = group;
      const records: SampleRecord[] = [];
      for (const { member, sample } of changed.add ?? []) {
        const record: SampleRecord = { ...sample, id: randomUUID(), memberKey: nameKey(member) };
        updated = withSamplesAdded(updated, { key: record.memberKey, name: displayName(member) }, [record.id], new Date().toISOString());
        records.push(record);
      }
      if (records.length > 0) {
        await this.io.writeSamples(server, group.key, records);
        await this.io.writeGroup(server, updated);
      }
      await this.io.writeFeedback(server, group.key, changed.feedback);
      return { group: updated, result: changed.result };
    });
  }
}
