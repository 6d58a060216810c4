/**
 * What every store operation stands on: the record I/O, the per-server locks, clean-up after a commit point,
 * and lookups of groups through the server's index.
 */
import type Keyv from 'keyv';
import { IdolensError } from '../errors.ts';
import { withServerSettings } from './group-edits.ts';
import type { Locks } from './locks.ts';
import { KeyedMutex } from './mutex.ts';
import { assertServerId, nameKey } from './names.ts';
import { RecordIo } from './record-io.ts';
import type { GroupRecord } from './records.ts';
import { closeNames, orList } from './name-suggestions.ts';


/** Groups named in a "no such group" answer, at most. */
const MAX_LISTED_GROUPS = 10;
export interface GroupStoreOptions {
  /**
   * Called when deleting records that a committed change no longer references fails. The change
   * itself stands (it is committed), so this is only reported; the leftovers are unreachable.
   */
  onCleanupError?: (error: unknown) => void;
  /** Default: a KeyedMutex, which excludes callers in this process only. */
  locks?: Locks;
}

export const SERVER_LOCK_PREFIX = 'server:';

export abstract class StoreBase {
  protected readonly io: RecordIo;
  /** One lock per server (`server:<id>`): renames and the group index span several groups of a server. */
  protected readonly locks: Locks;
  private readonly onCleanupError: (error: unknown) => void;

  constructor(keyv: Keyv, options: GroupStoreOptions = {}) {
    this.io = new RecordIo(keyv);
    this.locks = options.locks ?? new KeyedMutex();
    this.onCleanupError = options.onCleanupError ?? (() => {});
  }

  /**
   * Runs `section` under the store's locks (across processes when they are RedisLocks), for work
   * outside the store that must not run twice at once, e.g. `train:<server>:<group>`. Keys starting
   * with `server:` are the store's own; the section may call the store, whose locks are other keys.
   */
  async withLock<T>(key: string, section: () => Promise<T>): Promise<T> {
    if (key.startsWith(SERVER_LOCK_PREFIX)) throw new Error(`Lock keys starting with "${SERVER_LOCK_PREFIX}" belong to the store itself.`);
    return this.locks.run(key, section);
  }

  protected async retargetDefaultGroup(server: string, from: string, to: string | undefined): Promise<void> {
    const settings = await this.io.readServerSettings(server);
    if (settings.defaultGroup !== from) return;
    await this.io.writeServerSettings(server, withServerSettings(settings, { defaultGroup: to ?? null }));
  }

  protected async locked<T>(server: string, section: () => Promise<T>): Promise<T> {
    return this.locks.run(`${SERVER_LOCK_PREFIX}${assertServerId(server)}`, section);
  }

  /** Runs work that follows a commit point: its failure must not turn a committed change into an error. */
  protected async cleanUp(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.onCleanupError(error);
    }
  }

  /** The group this very request already made (or renamed to), else the refusal the request deserves. */
  protected async alreadyDoneBy(server: string, groupKey: string, request: string | undefined, renamedFrom?: string): Promise<GroupRecord> {
    const existing = await this.findGroup(server, groupKey);
    if (existing && request !== undefined && existing.changedBy === request) return existing;
    if (renamedFrom !== undefined) throw new IdolensError('group_not_found', undefined, { group: renamedFrom.slice(0, 80) });
    throw new IdolensError('group_exists', undefined, { group: existing?.name ?? groupKey });
  }

  protected async lockedRequireGroup(server: string, name: string): Promise<GroupRecord> {
    const group = await this.findGroup(server, nameKey(name));
    if (!group) throw await this.groupNotFound(server, name);
    return group;
  }

  /** "There is no group named "TWCE" on this server. Did you mean TWICE?", or the groups it has. */
  protected async groupNotFound(server: string, name: string): Promise<IdolensError> {
    const keys = await this.io.readIndex(server);
    const names = (await Promise.all(keys.map((key) => this.io.readGroup(server, key)))).flatMap((group) => (group ? [group.name] : []));
    const close = closeNames(name, names);
    const asked = name.slice(0, 80);
    const hint = close.length > 0
      ? ` Did you mean ${orList(close)}?`
      : names.length > 0 ? ` Its groups: ${names.slice(0, MAX_LISTED_GROUPS).join(', ')}${names.length > MAX_LISTED_GROUPS ? ', …' : ''}.` : ' It has no groups yet.';
    return new IdolensError('group_not_found', `There is no group named "${asked}" on this server.${hint}`, { group: asked });
  }

  protected async findGroup(server: string, groupKey: string): Promise<GroupRecord | undefined> {
    const index = await this.io.readIndex(server);
    return index.includes(groupKey) ? this.readIndexedGroup(server, groupKey) : undefined;
  }

  protected async readIndexedGroup(server: string, groupKey: string): Promise<GroupRecord> {
    const group = await this.io.readGroup(server, groupKey);
    if (!group) throw new IdolensError('internal', `Group ${groupKey} is listed but its record is missing.`, { server, group: groupKey });
    return group;
  }

  protected async discardGroupRecords(server: string, group: GroupRecord): Promise<void> {
    await this.io.deleteGroup(server, group.key);
    await this.io.deleteModel(server, group.key);
    await this.io.deleteFeedback(server, group.key);
    await this.io.deleteSamples(server, group.key, group.members.flatMap((member) => member.sampleIds));
  }
}
