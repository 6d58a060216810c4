/**
 * Copying a group's records (samples, model, then the record itself) to another key or another server, and
 * moving a whole server's groups: a Telegram group that becomes a supergroup gets a new chat id.
 */
import { IdolensError } from '../errors.ts';
import type { RecordIo } from './record-io.ts';
import { isEmptyFeedback, type GroupRecord } from './records.ts';

/** Writes the target's samples, model and record; they stay invisible until an index names the target. */
export async function copyGroup(io: RecordIo, from: { server: string; group: GroupRecord }, to: { server: string; group: GroupRecord }): Promise<void> {
  const samples = await io.readSamples(from.server, from.group.key, from.group.members.flatMap((member) => member.sampleIds));
  const model = await io.readModel<unknown>(from.server, from.group.key);
  await io.writeSamples(to.server, to.group.key, samples);
  if (model) await io.writeModel(to.server, to.group.key, model);
  else await io.deleteModel(to.server, to.group.key);
  const feedback = await io.readFeedback(from.server, from.group.key);
  if (isEmptyFeedback(feedback)) await io.deleteFeedback(to.server, to.group.key);
  else await io.writeFeedback(to.server, to.group.key, feedback);
  await io.writeGroup(to.server, to.group);
}

/**
 * Copies `groups` (all of `from`'s) and `from`'s settings to `to`, and makes them visible there (the index is the
 * commit point); the caller then removes them from `from`. `to` must have no groups yet.
 */
export async function copyServer(io: RecordIo, from: { server: string; groups: readonly GroupRecord[] }, to: string): Promise<void> {
  if ((await io.readIndex(to)).length > 0) throw new IdolensError('group_exists', 'The new chat already has groups of its own, so the old chat\'s groups were not moved.');
  for (const group of from.groups) await copyGroup(io, { server: from.server, group }, { server: to, group });
  await io.writeServerSettings(to, await io.readServerSettings(from.server));
  await io.writeIndex(to, from.groups.map((group) => group.key));
}
