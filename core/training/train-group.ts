import { crossValidate, fitGroupModel, loadGroupModel, type GroupModelPayload, type LoadedGroupModel, type TrainingMember, type TrainingReport } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { recognitionProfile } from '../faces/profiles.ts';
import { nameKey, type GroupRecord } from '../store/index.ts';

export interface StoredGroupModel {
  model: GroupModelPayload;
  report: TrainingReport;
}

export interface TrainedGroup {
  group: GroupRecord;
  model: LoadedGroupModel;
  report: TrainingReport;
  /** False when a stored model for this very revision was reused. */
  retrained: boolean;
}

/** Trained models kept in memory per group revision, so identify does not re-read or re-fit them. */
const cache = new Map<string, { createdAt: string; revision: number; embedderId: string; trained: TrainedGroup }>();

function cacheKey(server: string, groupKey: string): string {
  return `${server}\u0000${groupKey}`;
}

async function trainingMembers(context: CoreContext, server: string, group: GroupRecord): Promise<TrainingMember[]> {
  const samples = await context.store.getSamples(server, group.name);
  const embedderId = context.embedder.id;
  const stale = samples.filter((sample) => sample.embedderId !== embedderId);
  if (stale.length > 0) {
    throw new IdolensError('model_mismatch', `${stale.length} photo(s) of this group were enrolled with another face model (${stale[0]?.embedderId}); enroll them again.`);
  }
  return group.members.map((member) => ({
    key: member.key,
    name: member.name,
    embeddings: samples.filter((sample) => sample.memberKey === member.key).map((sample) => sample.embedding),
  }));
}

/**
 * The lock that keeps a group from being trained twice at once, by this process or any other
 * sharing the store (when the store's locks are Redis locks).
 */
export function trainingLockKey(server: string, groupName: string): string {
  return `train:${encodeURIComponent(server)}:${encodeURIComponent(nameKey(groupName))}`;
}

async function withTrainingLock<T>(context: CoreContext, server: string, groupName: string, section: () => Promise<T>): Promise<T> {
  return context.store.withLock(trainingLockKey(server, groupName), section);
}

/** Fits the group's model from its current samples, cross-validates it and stores both. */
export async function trainGroup(context: CoreContext, server: string, groupName: string): Promise<TrainedGroup> {
  return withTrainingLock(context, server, groupName, async () => trainLocked(context, server, await context.store.requireGroup(server, groupName)));
}

/** Runs under the training lock, with the group as read after taking it. */
async function trainLocked(context: CoreContext, server: string, group: GroupRecord): Promise<TrainedGroup> {
  const members = await trainingMembers(context, server, group);
  if (members.filter((member) => member.embeddings.length > 0).length < 2) throw new IdolensError('not_enough_members');
  const embedderId = context.embedder.id;
  const profile = recognitionProfile(context.embedder).classifier;
  const model = fitGroupModel(members, embedderId, profile);
  const report = crossValidate(members, embedderId, profile);
  await context.store.putModel<StoredGroupModel>(server, group.name, { groupRevision: group.revision, payload: { model, report } });
  const trained: TrainedGroup = { group, model: loadGroupModel(model), report, retrained: true };
  remember(server, group, embedderId, trained);
  context.logger.info({ server, group: group.name, revision: group.revision, accuracy: report.accuracy }, 'group trained');
  return trained;
}

/** Trainings under way, so that concurrent identifies of a stale group train it once. */
const inFlight = new Map<string, Promise<TrainedGroup>>();

/** The group's model for its current samples: from memory, from the store, or trained now when stale. */
export async function currentModel(context: CoreContext, server: string, groupName: string): Promise<TrainedGroup> {
  const group = await context.store.requireGroup(server, groupName);
  const key = `${cacheKey(server, group.key)}\u0000${group.revision}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const loading = loadOrTrain(context, server, group).finally(() => inFlight.delete(key));
  inFlight.set(key, loading);
  return loading;
}

/**
 * Another process may be training the same stale group: after taking the training lock, the
 * group and its stored model are read again, and a model stored meanwhile is reused.
 */
async function loadOrTrain(context: CoreContext, server: string, group: GroupRecord): Promise<TrainedGroup> {
  const ready = fromCache(context, server, group) ?? await fromStore(context, server, group);
  if (ready) return ready;
  return withTrainingLock(context, server, group.name, async () => {
    const latest = await context.store.requireGroup(server, group.name);
    return await fromStore(context, server, latest) ?? trainLocked(context, server, latest);
  });
}

function fromCache(context: CoreContext, server: string, group: GroupRecord): TrainedGroup | undefined {
  const cached = cache.get(cacheKey(server, group.key));
  const fresh = cached && cached.createdAt === group.createdAt && cached.revision === group.revision && cached.embedderId === context.embedder.id;
  return fresh ? { ...cached.trained, group, retrained: false } : undefined;
}

async function fromStore(context: CoreContext, server: string, group: GroupRecord): Promise<TrainedGroup | undefined> {
  const embedderId = context.embedder.id;
  const stored = await context.store.getModel<StoredGroupModel>(server, group.name);
  const current = stored?.payload.model;
  if (!stored || !current || stored.groupRevision !== group.revision || current.format !== 2 || current.embedderId !== embedderId) return undefined;
  const trained: TrainedGroup = { group, model: loadGroupModel(stored.payload.model), report: stored.payload.report, retrained: false };
  remember(server, group, embedderId, trained);
  return trained;
}

function remember(server: string, group: GroupRecord, embedderId: string, trained: TrainedGroup): void {
  cache.set(cacheKey(server, group.key), { createdAt: group.createdAt, revision: group.revision, embedderId, trained });
}
