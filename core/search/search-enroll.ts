/**
 * "Get me 30 photos of Jihyo": search, download, embed every face, keep the photos of the identity the results
 * agree on, and hold them as a pending set for review. Nothing joins the member's samples here.
 */
import type { CoreContext } from '../context.ts';
import { analyzeInput, sampleFromCandidate, type AnalyzedInput } from '../dataset/analyze-input.ts';
import { nearestDistance } from '../dataset/face-choice.ts';
import { recognitionProfile } from '../faces/profiles.ts';
import { mapConcurrent } from '../concurrency.ts';
import { withCurrentEmbeddings } from '../training/reembed.ts';
import { IdolensError, type ErrorCode } from '../errors.ts';
import { displayName, nameKey, type NewSample } from '../store/index.ts';
import { findConsensus, type ConsensusDecision, type ConsensusPhoto } from './consensus.ts';
import { fetchCandidates, type FetchedCandidate } from './fetch-candidates.ts';
import type { PendingItem, PendingSet } from './pending-store.ts';
import { searchProvider } from './providers.ts';
import type { SearchProviderId, SearchSettings } from './types.ts';

export const MAX_SEARCH_COUNT = 100;

export interface SearchEnrollRequest {
  server: string;
  group: string;
  member: string;
  query: string;
  count: number;
  provider?: SearchProviderId;
  addedBy: string;
}

export interface SearchOutcome {
  rank: number;
  /** The image's URL as shown to users (redacted). */
  source: string;
  page?: string;
  licence?: string;
  author?: string;
  status: 'pending' | 'rejected' | 'duplicate';
  /** Its number on the review sheet, for pending photos. */
  number?: number;
  /** How far its face is from the member's identity (descriptor distance; smaller is closer). */
  distance?: number;
  reason?: { code: ErrorCode; message: string };
}

export interface SearchEnrollResult {
  group: string;
  member: string;
  query: string;
  provider: SearchProviderId;
  outcomes: SearchOutcome[];
  /** Undefined when nothing was kept. */
  pending: PendingSet | undefined;
}

interface Known {
  /** The group's display name. */
  group: string;
  anchor: Float32Array[];
  others: Map<string, Float32Array[]>;
  hashes: Set<string>;
}

async function loadKnown(context: CoreContext, server: string, groupName: string, member: string): Promise<Known> {
  const { group, samples } = await withCurrentEmbeddings(context, server, await context.store.requireGroup(server, groupName));
  const names = new Map(group.members.map((entry) => [entry.key, entry.name]));
  const known: Known = { group: group.name, anchor: [], others: new Map(), hashes: new Set() };
  for (const sample of samples) {
    known.hashes.add(sample.contentHash);
    if (sample.embedderId !== context.embedder.id) continue;
    if (sample.memberKey === nameKey(member)) known.anchor.push(sample.embedding);
    else {
      const name = names.get(sample.memberKey) ?? sample.memberKey;
      known.others.set(name, [...(known.others.get(name) ?? []), sample.embedding]);
    }
  }
  return known;
}

function outcomeBase(entry: FetchedCandidate): Omit<SearchOutcome, 'status'> {
  const { candidate } = entry;
  return {
    rank: entry.rank, source: entry.source,
    ...(candidate.pageUrl === undefined ? {} : { page: candidate.pageUrl }),
    ...(candidate.licence === undefined ? {} : { licence: candidate.licence }),
    ...(candidate.author === undefined ? {} : { author: candidate.author }),
  };
}

function refusal(error: IdolensError): Pick<SearchOutcome, 'status' | 'reason'> {
  return { status: error.code === 'duplicate' ? 'duplicate' : 'rejected', reason: { code: error.code, message: error.message } };
}

export async function searchForMember(context: CoreContext, settings: SearchSettings, request: SearchEnrollRequest): Promise<SearchEnrollResult> {
  const member = displayName(request.member);
  const known = await loadKnown(context, request.server, request.group, member);
  const { group } = known;
  const provider = searchProvider(settings, request.provider);
  const candidates = await provider.search(request.query, Math.min(Math.max(1, request.count), MAX_SEARCH_COUNT));
  if (candidates.length === 0) throw new IdolensError('search_empty', `The image search found no pictures for "${request.query}".`);
  const fetched = await fetchCandidates(candidates, {
    maxBytes: context.intakeLimits.maxBytesPerFile, timeoutMs: context.intakeLimits.downloadTimeoutMs, allowPrivateNetwork: context.allowPrivateNetwork,
    hostIntervalMs: settings.hostIntervalMs, concurrency: settings.concurrency,
  });
  const engine = await context.faces();
  const analyzed = await mapConcurrent(fetched, engine.size * 2, async (entry): Promise<AnalyzedInput | IdolensError> => {
    if (!('bytes' in entry.result)) return entry.result.error;
    if (known.hashes.has(entry.result.contentHash)) return new IdolensError('duplicate', 'This exact file is already enrolled in this group.');
    const { bytes } = entry.result;
    return analyzeInput(context, { source: entry.source, read: async () => bytes });
  });
  const photos: ConsensusPhoto[] = analyzed.flatMap((result, index) => (!(result instanceof IdolensError) && result.ok ? [{ rank: fetched[index]?.rank ?? 0, faces: result.faces }] : []));
  const profile = recognitionProfile(context.embedder);
  const decisions = new Map(findConsensus({ photos, anchor: known.anchor, others: known.others, distances: profile }).map((decision) => [decision.rank, decision]));
  const items: PendingItem[] = [];
  const outcomes = fetched.map((entry, index): SearchOutcome => {
    const result = analyzed[index];
    if (result instanceof IdolensError) return { ...outcomeBase(entry), ...refusal(result) };
    if (result === undefined || !result.ok) return { ...outcomeBase(entry), ...refusal(result?.error ?? new IdolensError('internal')) };
    const decision = keptOrAlreadyEnrolled(decisions.get(entry.rank), known.anchor, profile.enroll.nearDuplicate);
    if ('dropped' in decision) return { ...outcomeBase(entry), ...refusal(decision.dropped) };
    const number = items.length + 1;
    items.push({ number, sample: pendingSample(decision, entry, result.contentHash, request.addedBy, context.embedder.id) });
    return { ...outcomeBase(entry), status: 'pending', number, distance: Math.round(decision.distance * 1000) / 1000 };
  });
  const pending = items.length === 0 ? undefined : await context.pending.put({ server: request.server, group, member, query: request.query, provider: provider.id, items });
  return { group, member, query: request.query, provider: provider.id, outcomes, pending };
}

function keptOrAlreadyEnrolled(decision: ConsensusDecision | undefined, anchor: readonly Float32Array[], nearDuplicate: number): ConsensusDecision {
  if (decision === undefined) return { rank: 0, dropped: new IdolensError('internal') };
  if ('kept' in decision && nearestDistance(decision.kept.face.descriptor, anchor) < nearDuplicate) {
    return { rank: decision.rank, dropped: new IdolensError('duplicate', 'An almost identical photo of this member is already enrolled.') };
  }
  return decision;
}

function pendingSample(decision: Extract<ConsensusDecision, { kept: unknown }>, entry: FetchedCandidate, contentHash: string, addedBy: string, embedderId: string): NewSample {
  const { candidate } = entry;
  return sampleFromCandidate(decision.kept, {
    contentHash, embedderId,
    provenance: {
      source: entry.source, addedBy, addedAt: new Date().toISOString(),
      ...(candidate.pageUrl === undefined ? {} : { page: candidate.pageUrl }),
      ...(candidate.licence === undefined ? {} : { licence: candidate.licence }),
      ...(candidate.author === undefined ? {} : { author: candidate.author }),
    },
  });
}
