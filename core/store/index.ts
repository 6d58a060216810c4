export { GroupStore, type GroupStoreOptions, type MemberSamples } from './group-store.ts';
export { assertServerId, displayName, nameKey } from './names.ts';
export { DEFAULT_SQLITE_FILE, KEYV_NAMESPACE, closeKeyv, keyvOver, openKeyv, type OpenKeyvOptions } from './open.ts';
export type {
  GroupRecord, GroupSettings, GroupSettingsPatch, MemberRecord, NewSample, Provenance, SampleLocation, SampleRecord, StoredModel,
} from './records.ts';
