import type { CoreContext } from '../context.ts';
import { IdolensError, isIdolensError } from '../errors.ts';
import { expandInputs, isInputError, type InputItem, type IntakeEntry, type IntakeLayout } from '../intake/index.ts';
import { displayName, nameKey, type GroupRecord, type NewSample } from '../store/index.ts';
import { mapConcurrent } from '../concurrency.ts';
import { withCurrentEmbeddings } from '../training/reembed.ts';
import { recognitionProfile, type EnrollDistances } from '../faces/profiles.ts';
import { analyzeInput, sampleFromCandidate, type AnalyzedInput } from './analyze-input.ts';
import type { EnrollOutcome } from './enroll-outcome.ts';
import { chooseEnrollFace, nearestDistance } from './face-choice.ts';
import { flagOutliers, type PendingSample } from './outliers.ts';

export interface EnrollRequest {
  server: string;
  group: string;
  /** Required for the flat layout; with member-folders the folder names are the members. */
  member?: string;
  inputs: readonly string[];
  /** Inputs already turned into photos to read (a job's media references); replaces expanding `inputs`. */
  entries?: readonly IntakeEntry[];
  layout: IntakeLayout;
  addedBy: string;
  /** Called once the photos to read are known (how many), then once per photo analysed (a progress bar). */
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface EnrollSummary {
  outcomes: EnrollOutcome[];
  group: GroupRecord;
  counts: { accepted: number; rejected: number; duplicate: number; flagged: number };
}

interface Known {
  distances: EnrollDistances;
  embeddingsByMember: Map<string, Float32Array[]>;
  names: Map<string, string>;
  hashes: Map<string, string>;
}

/**
 * Enrolls photos the way an admin would clean them by hand: one usable face per photo, no duplicates,
 * outliers flagged. Everything accepted is committed at once at the end; a failure leaves the group as it was.
 */
export async function enrollPhotos(context: CoreContext, request: EnrollRequest): Promise<EnrollSummary> {
  const fixedMember = request.layout === 'flat' ? displayName(request.member ?? '') : undefined;
  const known = await loadKnown(context, request);
  const entries = await collectInputs(context, request);
  const items = entries.filter((entry): entry is InputItem => !isInputError(entry));
  const engine = await context.faces();
  let done = 0;
  request.onProgress?.({ done, total: items.length });
  const analyzed = new Map(
    (await mapConcurrent(items, engine.size * 2, async (item) => {
      const result = await analyzeInput(context, item);
      done += 1;
      request.onProgress?.({ done, total: items.length });
      return result;
    })).map((result, index) => [items[index], result] as const),
  );
  const outcomes: EnrollOutcome[] = [];
  const pending: PendingSample[] = [];
  for (const entry of entries) {
    const member = memberOf(entry, fixedMember);
    const input = isInputError(entry) ? undefined : analyzed.get(entry);
    if (isInputError(entry)) outcomes.push(rejected(entry.source, typeof member === 'string' ? member : null, entry.error));
    else if (typeof member !== 'string') outcomes.push(rejected(entry.source, null, member));
    else if (!input) outcomes.push(rejected(entry.source, member, new IdolensError('internal')));
    else outcomes.push(decide(input, member, known, pending));
  }
  const flags = flagOutliers(pending, known.embeddingsByMember, known.names, known.distances);
  const batches = groupByMember(pending, flags, { addedBy: request.addedBy, embedderId: context.embedder.id });
  const group = await context.store.addSamplesToMembers(request.server, request.group, batches);
  for (const sample of pending) {
    const flag = flags.get(sample);
    if (flag) Object.assign(sample.outcome, { flagged: true, flagReason: flag });
  }
  return { outcomes, group, counts: count(outcomes) };
}

/** The member a photo is for: the one named in the request, or its member folder (whose name must be valid). */
function memberOf(entry: IntakeEntry, fixedMember: string | undefined): string | IdolensError {
  if (fixedMember !== undefined) return fixedMember;
  const folder = isInputError(entry) ? undefined : entry.member;
  if (folder === undefined) return new IdolensError('invalid_archive');
  try {
    return displayName(folder);
  } catch (error) {
    return isIdolensError(error) ? new IdolensError('invalid_name', `The folder name "${folder}" is not a valid member name: ${error.message}`) : new IdolensError('internal');
  }
}

async function collectInputs(context: CoreContext, request: EnrollRequest): Promise<IntakeEntry[]> {
  if (request.entries) return [...request.entries];
  const entries: IntakeEntry[] = [];
  const expanded = expandInputs(request.inputs, { layout: request.layout, limits: context.intakeLimits, allowPrivateNetwork: context.allowPrivateNetwork });
  for await (const entry of expanded) entries.push(entry);
  return entries;
}

async function loadKnown(context: CoreContext, request: EnrollRequest): Promise<Known> {
  const { group, samples } = await withCurrentEmbeddings(context, request.server, await context.store.requireGroup(request.server, request.group));
  const names = new Map(group.members.map((member) => [member.key, member.name]));
  const embeddingsByMember = new Map<string, Float32Array[]>();
  const hashes = new Map<string, string>();
  for (const sample of samples) {
    if (sample.embedderId === context.embedder.id) {
      embeddingsByMember.set(sample.memberKey, [...(embeddingsByMember.get(sample.memberKey) ?? []), sample.embedding]);
    }
    hashes.set(sample.contentHash, sample.memberKey);
  }
  return { distances: recognitionProfile(context.embedder).enroll, embeddingsByMember, names, hashes };
}

function decide(input: AnalyzedInput, member: string, known: Known, pending: PendingSample[]): EnrollOutcome {
  if (!input.ok) return rejected(input.source, member, input.error);
  if (known.hashes.has(input.contentHash)) return duplicate(input.source, member, 'This exact file is already enrolled in this group.');
  const memberKey = nameKey(member);
  const own = known.embeddingsByMember.get(memberKey) ?? [];
  let candidate;
  try {
    const chosen = chooseEnrollFace(input.faces.map((entry) => entry.face), own, known.distances);
    candidate = input.faces.find((face) => face.face === chosen);
  } catch (error) {
    return rejected(input.source, member, error as IdolensError);
  }
  if (!candidate) return rejected(input.source, member, new IdolensError('no_face'));
  if (nearestDistance(candidate.face.descriptor, own) < known.distances.nearDuplicate) {
    return duplicate(input.source, member, 'An almost identical photo of this member is already enrolled.');
  }
  const outcome: EnrollOutcome = { source: input.source, member, status: 'accepted', flagged: false };
  if (!known.names.has(memberKey)) known.names.set(memberKey, member);
  known.hashes.set(input.contentHash, memberKey);
  known.embeddingsByMember.set(memberKey, [...own, candidate.face.descriptor]);
  pending.push({ member, memberKey, candidate, contentHash: input.contentHash, source: input.source, outcome });
  return outcome;
}

function groupByMember(
  pending: readonly PendingSample[],
  flags: Map<PendingSample, string>,
  origin: { addedBy: string; embedderId: string },
): { member: string; samples: NewSample[] }[] {
  const byMember = new Map<string, { member: string; samples: NewSample[] }>();
  const addedAt = new Date().toISOString();
  for (const sample of pending) {
    const batch = byMember.get(sample.memberKey) ?? { member: sample.member, samples: [] };
    batch.samples.push(sampleFromCandidate(sample.candidate, {
      contentHash: sample.contentHash, embedderId: origin.embedderId, flagReason: flags.get(sample), provenance: { source: sample.source, addedBy: origin.addedBy, addedAt },
    }));
    byMember.set(sample.memberKey, batch);
  }
  return [...byMember.values()];
}

function rejected(source: string, member: string | null, error: IdolensError): EnrollOutcome {
  return { source, member, status: 'rejected', reason: { code: error.code, message: error.message } };
}

function duplicate(source: string, member: string, message: string): EnrollOutcome {
  return { source, member, status: 'duplicate', reason: { code: 'duplicate', message } };
}

function count(outcomes: readonly EnrollOutcome[]): EnrollSummary['counts'] {
  return {
    accepted: outcomes.filter((outcome) => outcome.status === 'accepted').length,
    rejected: outcomes.filter((outcome) => outcome.status === 'rejected').length,
    duplicate: outcomes.filter((outcome) => outcome.status === 'duplicate').length,
    flagged: outcomes.filter((outcome) => outcome.flagged === true).length,
  };
}
