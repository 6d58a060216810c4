import { crossValidate, fitGroupModel, loadGroupModel, type GroupModelPayload, type LoadedGroupModel, type TrainingMember, type TrainingReport } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { recognitionProfile } from '../faces/profiles.ts';
import { nameKey, type GroupRecord, type SampleRecord } from '../store/index.ts';
import { membersNeedingPhotos, withCurrentEmbeddings, type MemberNeedingPhotos } from './reembed.ts';
import { withExemplars } from '../classifier/exemplars.ts';

export interface StoredGroupModel {
  model: GroupModelPayload;
  report: TrainingReport;
  /** Members with photos from another face model that kept no crop: left out of training until enrolled again. */
  needPhotosAgain: MemberNeedingPhotos[];
}

export interface TrainedGroup {
  group: GroupRecord;
  model: LoadedGroupModel;
  report: TrainingReport;
  needPhotosAgain: MemberNeedingPhotos[];
  /** False when a stored model for this very revision was reused. */
  retrained: boolean;
}

/** Trained models kept in memory per group revision, so identify does not re-read or re-fit them. */
const cache = new Map<string, { createdAt: string; revision: number; embedderId: string; trained: TrainedGroup }>();

function cacheKey(server: string, groupKey: string): string {
  return `${server}\u0000${groupKey}`;
}

/** The members' descriptors from the embedder in use; samples from another one (that could not be re-embedded) are left out. */
function trainingMembers(context: CoreContext, group: GroupRecord, samples: readonly SampleRecord[]): { members: TrainingMember[]; needPhotosAgain: MemberNeedingPhotos[] } {
  const embedderId = context.embedder.id;
  const current = samples.filter((sample) => sample.embedderId === embedderId);
  const members = group.members.map((member) => ({
    key: member.key,
    name: member.name,
    embeddings: current.filter((sample) => sample.memberKey === member.key).map((sample) => sample.embedding),
  }));
  return { members, needPhotosAgain: membersNeedingPhotos(group, samples.filter((sample) => sample.embedderId !== embedderId)) };
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

/**
 * Runs under the training lock, with the group as read after taking it. Samples made with another embedder are
 * described again from their crops first (a change of IDOLENS_EMBEDDER re-embeds in place on first use).
 */
async function trainLocked(context: CoreContext, server: string, read: GroupRecord): Promise<TrainedGroup> {
  const { group, samples } = await withCurrentEmbeddings(context, server, read);
  const { members, needPhotosAgain } = trainingMembers(context, group, samples);
  if (members.filter((member) => member.embeddings.length > 0).length < 2) throw notEnoughMembers(needPhotosAgain);
  const embedderId = context.embedder.id;
  const profile = recognitionProfile(context.embedder).classifier;
  const approved = samples.filter((sample) => sample.embedderId === embedderId && sample.provenance.approvedBy !== undefined);
  const model = withExemplars(fitGroupModel(members, embedderId, profile), approved, recognitionProfile(context.embedder).enroll.nearDuplicate);
  const report = crossValidate(members, embedderId, profile);
  await context.store.putModel<StoredGroupModel>(server, group.name, { groupRevision: group.revision, payload: { model, report, needPhotosAgain } });
  const trained: TrainedGroup = { group, model: loadGroupModel(model), report, needPhotosAgain, retrained: true };
  remember(server, group, embedderId, trained);
  context.logger.info({ server, group: group.name, revision: group.revision, accuracy: report.accuracy }, 'group trained');
  return trained;
}

/** Too few members to train; when it is because photos from another face model kept no crop, say who needs new ones. */
function notEnoughMembers(needPhotosAgain: readonly MemberNeedingPhotos[]): IdolensError {
  if (needPhotosAgain.length === 0) return new IdolensError('not_enough_members');
  const who = needPhotosAgain.map((entry) => `${entry.member} (${entry.samples})`).join(', ');
  return new IdolensError('not_enough_members', `${new IdolensError('not_enough_members').message} Photos enrolled with the earlier face model kept no face crop, so they must be enrolled again: ${who}.`);
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
  const trained: TrainedGroup = { group, model: loadGroupModel(stored.payload.model), report: stored.payload.report, needPhotosAgain: stored.payload.needPhotosAgain, retrained: false };
  remember(server, group, embedderId, trained);
  return trained;
}

function remember(server: string, group: GroupRecord, embedderId: string, trained: TrainedGroup): void {
  cache.set(cacheKey(server, group.key), { createdAt: group.createdAt, revision: group.revision, embedderId, trained });
}
