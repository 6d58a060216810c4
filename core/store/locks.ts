/**
 * Mutual exclusion per key. `KeyedMutex` (mutex.ts) excludes callers within one process;
 * `RedisLocks` (redis-locks.ts) also excludes every other process using the same Redis and prefix.
 * Locks are not re-entrant: a section must not take the same key again.
 */
export interface Locks {
  /** Runs `section` while holding `key`, after every earlier holder of `key` has finished. */
  run<T>(key: string, section: () => Promise<T>): Promise<T>;
}
