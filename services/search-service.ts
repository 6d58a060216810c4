/** Photos of a member from an image search, kept pending (with a numbered review sheet) until an admin decides. */
import type { CoreContext } from '../core/context.ts';
import { pendingSheet } from '../core/search/review.ts';
import { searchForMember, type SearchEnrollRequest, type SearchEnrollResult, type SearchOutcome } from '../core/search/search-enroll.ts';

/** An image search's kept photos, pending review under `pendingId` (absent when nothing was kept). */
export interface SearchResultData {
  group: string;
  member: string;
  query: string;
  provider: string;
  pendingId?: string;
  kept: number;
  outcomes: SearchOutcome[];
}

export interface SearchedPhotos {
  data: SearchResultData;
  /** JPEG of the kept photos, numbered, each captioned with its licence; absent when nothing was kept. */
  reviewSheet?: Buffer;
}

export async function searchMemberPhotos(core: CoreContext, request: SearchEnrollRequest): Promise<SearchedPhotos> {
  const result = await searchForMember(core, core.search, request);
  const data = resultData(result);
  return result.pending === undefined ? { data } : { data, reviewSheet: await pendingSheet(result.pending) };
}

function resultData(result: SearchEnrollResult): SearchResultData {
  return {
    group: result.group, member: result.member, query: result.query, provider: result.provider,
    ...(result.pending === undefined ? {} : { pendingId: result.pending.id }),
    kept: result.pending?.items.length ?? 0,
    outcomes: result.outcomes,
  };
}
