export { GroupStore, type EmbeddingUpdate, type MemberSamples } from './group-store.ts';
export { findMember } from './group-edits.ts';
export { emptyFeedback } from './records.ts';
export type { GroupStoreOptions } from './store-base.ts';
export type { Locks } from './locks.ts';
export { KeyedMutex } from './mutex.ts';
export { assertServerId, displayName, nameKey } from './names.ts';
export {
  DEFAULT_REDIS_CONNECT_TIMEOUT_MS, DEFAULT_SQLITE_FILE, KEYV_NAMESPACE, closeKeyv, isRedisUrl, keyvOver, openKeyv, redactedUrl, type OpenKeyvOptions,
} from './open.ts';
export type {
  FaceCropRecord, FeedbackRecord, FeedbackTally, SuggestingFan, SuggestionRecord, GroupRecord, GroupSettings, GroupSettingsPatch, MemberRecord, NewSample, ServerSettings, ServerSettingsPatch, Provenance, SampleLocation, SampleRecord, StoredModel,
} from './records.ts';
export {
  DEFAULT_LOCK_TTL_MS, DEFAULT_LOCK_WAIT_MS, LockLostError, LockTimeoutError, RedisLocks, openRedisLocks,
  type RedisLocksConnection, type RedisLocksOptions,
} from './redis-locks.ts';
