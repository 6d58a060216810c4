/**
 * Downloads what a search found, under the same rules as an admin's links (http(s) only, public addresses
 * only unless private ones are allowed, size and time caps, redirects re-checked), a few at a time and
 * politely spaced per host. The same bytes twice are fetched but kept once.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapConcurrent } from '../concurrency.ts';
import { IdolensError, isIdolensError } from '../errors.ts';
import { downloadImage, redactUrl } from '../intake/download.ts';
import type { ImageCandidate } from './types.ts';

export interface FetchRules {
  maxBytes: number;
  timeoutMs: number;
  allowPrivateNetwork: boolean;
  hostIntervalMs: number;
  concurrency: number;
}

export interface FetchedCandidate {
  /** Position in the search results, from 1. */
  rank: number;
  candidate: ImageCandidate;
  /** The URL as shown to users (no query string or credentials). */
  source: string;
  result: { bytes: Uint8Array; contentHash: string } | { error: IdolensError };
}

/** Spaces out requests to one host: each waits until `intervalMs` after the previous one started. */
class HostPacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  async wait(url: string): Promise<void> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return;
    }
    const now = Date.now();
    const at = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, at + this.intervalMs);
    if (at > now) await sleep(at - now);
  }
}

export async function fetchCandidates(candidates: readonly ImageCandidate[], rules: FetchRules): Promise<FetchedCandidate[]> {
  const pacer = new HostPacer(rules.hostIntervalMs);
  const ranked = candidates.map((candidate, index) => ({ candidate, rank: index + 1 }));
  const fetched = await mapConcurrent(ranked, rules.concurrency, async ({ candidate, rank }): Promise<FetchedCandidate> => {
    const source = redactUrl(candidate.imageUrl);
    try {
      await pacer.wait(candidate.imageUrl);
      const bytes = await downloadImage(candidate.imageUrl, { maxBytes: rules.maxBytes, timeoutMs: rules.timeoutMs, allowPrivateNetwork: rules.allowPrivateNetwork });
      return { rank, candidate, source, result: { bytes, contentHash: createHash('sha256').update(bytes).digest('hex') } };
    } catch (error) {
      return { rank, candidate, source, result: { error: isIdolensError(error) ? error : new IdolensError('download_failed') } };
    }
  });
  const seen = new Map<string, number>();
  return fetched.map((entry) => {
    if (!('bytes' in entry.result)) return entry;
    const first = seen.get(entry.result.contentHash);
    if (first === undefined) {
      seen.set(entry.result.contentHash, entry.rank);
      return entry;
    }
    return { ...entry, result: { error: new IdolensError('duplicate', `The same file as result #${first}.`) } };
  });
}
