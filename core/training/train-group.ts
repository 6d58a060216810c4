import { crossValidate, fitGroupModel, loadGroupModel, type GroupModelPayload, type LoadedGroupModel, type TrainingMember, type TrainingReport } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import type { GroupRecord } from '../store/index.ts';

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

/** Fits the group's model from its current samples, cross-validates it and stores both. */
export async function trainGroup(context: CoreContext, server: string, groupName: string): Promise<TrainedGroup> {
  const group = await context.store.requireGroup(server, groupName);
  const members = await trainingMembers(context, server, group);
  if (members.filter((member) => member.embeddings.length > 0).length < 2) throw new IdolensError('not_enough_members');
  const embedderId = context.embedder.id;
  const model = fitGroupModel(members, embedderId);
  const report = crossValidate(members, embedderId);
  await context.store.putModel<StoredGroupModel>(server, group.name, { groupRevision: group.revision, payload: { model, report } });
  const trained: TrainedGroup = { group, model: loadGroupModel(model), report, retrained: true };
  cache.set(cacheKey(server, group.key), { createdAt: group.createdAt, revision: group.revision, embedderId, trained });
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

async function loadOrTrain(context: CoreContext, server: string, group: GroupRecord): Promise<TrainedGroup> {
  const embedderId = context.embedder.id;
  const cached = cache.get(cacheKey(server, group.key));
  if (cached && cached.createdAt === group.createdAt && cached.revision === group.revision && cached.embedderId === embedderId) return { ...cached.trained, group, retrained: false };
  const stored = await context.store.getModel<StoredGroupModel>(server, group.name);
  if (stored && stored.groupRevision === group.revision && stored.payload.model.embedderId === embedderId) {
    const trained: TrainedGroup = { group, model: loadGroupModel(stored.payload.model), report: stored.payload.report, retrained: false };
    cache.set(cacheKey(server, group.key), { createdAt: group.createdAt, revision: group.revision, embedderId, trained });
    return trained;
  }
  return trainGroup(context, server, group.name);
}
