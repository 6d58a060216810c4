/** Typed reads and writes of single records; no business rules and no locking here. */
import type Keyv from 'keyv';
import { IdolensError } from '../errors.ts';
import {
  decodeGroup, decodeIndex, decodeModel, decodeSample, decodeServerSettings, encodeGroup, encodeIndex, encodeModel, encodeSample,
  encodeServerSettings,
} from './codec.ts';
import { decodeFeedback, encodeFeedback } from './feedback-codec.ts';
import { deletionReceiptKey, feedbackRecordKey, groupIndexKey, groupRecordKey, modelRecordKey, sampleRecordKey, serverSettingsKey } from './keys.ts';

const DELETION_RECEIPT_TTL_MS = 24 * 60 * 60 * 1000;
import { emptyFeedback, type FeedbackRecord, type GroupRecord, type SampleRecord, type ServerSettings, type StoredModel } from './records.ts';

export class RecordIo {
  private readonly keyv: Keyv;

  constructor(keyv: Keyv) {
    // Keyv swallows adapter errors by default: a failed read would look like a missing group and
    // a failed write like a successful commit. The store's guarantees need them to surface.
    keyv.throwOnErrors = true;
    this.keyv = keyv;
  }

  async readIndex(server: string): Promise<string[]> {
    const key = groupIndexKey(server);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? [] : decodeIndex(value, key);
  }

  async writeIndex(server: string, groupKeys: readonly string[]): Promise<void> {
    await this.write(groupIndexKey(server), encodeIndex(groupKeys));
  }

  async readGroup(server: string, groupKey: string): Promise<GroupRecord | undefined> {
    const key = groupRecordKey(server, groupKey);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? undefined : decodeGroup(value, key);
  }

  async writeGroup(server: string, group: GroupRecord): Promise<void> {
    await this.write(groupRecordKey(server, group.key), encodeGroup(group));
  }

  async deleteGroup(server: string, groupKey: string): Promise<void> {
    await this.keyv.delete(groupRecordKey(server, groupKey));
  }

  /** Every id must exist: a group record never points at a missing sample, so a gap is damage. */
  async readSamples(server: string, groupKey: string, sampleIds: readonly string[]): Promise<SampleRecord[]> {
    if (sampleIds.length === 0) return [];
    const keys = sampleIds.map((id) => sampleRecordKey(server, groupKey, id));
    const values: unknown[] = await this.keyv.getMany(keys);
    return keys.map((key, index) => {
      const value = values[index];
      if (value === undefined) throw new IdolensError('internal', `Sample record ${key} is missing.`, { key });
      return decodeSample(value, key);
    });
  }

  async writeSamples(server: string, groupKey: string, samples: readonly SampleRecord[]): Promise<void> {
    const encoded = samples.map((sample) => ({ key: sampleRecordKey(server, groupKey, sample.id), value: encodeSample(sample) }));
    await Promise.all(encoded.map(({ key, value }) => this.write(key, value)));
  }

  async deleteSamples(server: string, groupKey: string, sampleIds: readonly string[]): Promise<void> {
    if (sampleIds.length === 0) return;
    await this.keyv.deleteMany(sampleIds.map((id) => sampleRecordKey(server, groupKey, id)));
  }

  async readModel<T>(server: string, groupKey: string): Promise<StoredModel<T> | undefined> {
    const key = modelRecordKey(server, groupKey);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? undefined : decodeModel<T>(value, key);
  }

  async writeModel<T>(server: string, groupKey: string, model: StoredModel<T>): Promise<void> {
    await this.write(modelRecordKey(server, groupKey), encodeModel(model));
  }

  async deleteModel(server: string, groupKey: string): Promise<void> {
    await this.keyv.delete(modelRecordKey(server, groupKey));
  }

  /** A group's fan suggestions and tallies (empty when fans have said nothing yet). */
  async readFeedback(server: string, groupKey: string): Promise<FeedbackRecord> {
    const key = feedbackRecordKey(server, groupKey);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? emptyFeedback() : decodeFeedback(value, key);
  }

  async writeFeedback(server: string, groupKey: string, record: FeedbackRecord): Promise<void> {
    const key = feedbackRecordKey(server, groupKey);
    await this.write(key, encodeFeedback(record, key));
  }

  async deleteFeedback(server: string, groupKey: string): Promise<void> {
    await this.keyv.delete(feedbackRecordKey(server, groupKey));
  }

  async readServerSettings(server: string): Promise<ServerSettings> {
    const key = serverSettingsKey(server);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? {} : decodeServerSettings(value, key);
  }

  async writeServerSettings(server: string, settings: ServerSettings): Promise<void> {
    await this.write(serverSettingsKey(server), encodeServerSettings(settings));
  }

  /** What a request deleted, kept a day so that a retry of that request can answer as the first try did. */
  async writeDeletionReceipt(server: string, request: string, group: GroupRecord): Promise<void> {
    await this.write(deletionReceiptKey(server, request), encodeGroup(group), DELETION_RECEIPT_TTL_MS);
  }

  async readDeletionReceipt(server: string, request: string): Promise<GroupRecord | undefined> {
    const key = deletionReceiptKey(server, request);
    const value: unknown = await this.keyv.get(key);
    return value === undefined ? undefined : decodeGroup(value, key);
  }

  private async write(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const written = await this.keyv.set(key, value, ttlMs);
    if (!written) throw new IdolensError('internal', `Could not write ${key}.`, { key });
  }
}
