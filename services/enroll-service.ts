/** Enrolling photos: of one member (enroll), or of a whole group laid out one folder per member (import). */
import type { CoreContext } from '../core/context.ts';
import { enrollPhotos, type EnrollSummary } from '../core/dataset/enroll.ts';
import type { EnrollOutcome } from '../core/dataset/enroll-outcome.ts';
import { refuseLikelyTypo } from '../core/dataset/member-name-check.ts';
import { memberSheet } from '../core/dataset/overview.ts';
import type { IntakeEntry, IntakeLayout } from '../core/intake/index.ts';
import { findMember, nameKey, type GroupRecord } from '../core/store/index.ts';

export interface EnrollResult {
  group: string;
  outcomes: EnrollOutcome[];
  counts: EnrollSummary['counts'];
}

export interface EnrollRequest {
  server: string;
  group: string;
  /** Required for the flat layout; with member-folders the folder names are the members. */
  member?: string;
  /** What the user named (files, folders, zips, URLs), or photos the caller already turned into readers. */
  photos: { paths: readonly string[] } | { entries: readonly IntakeEntry[] };
  layout: IntakeLayout;
  /** Who is adding them: kept with each photo. */
  addedBy: string;
  /** Also the member's numbered contact sheet after the enroll. */
  contactSheet?: boolean;
  /**
   * Set unless the user asked for a new member: a name close to an existing member's is then refused, with this
   * hint on how to create it anyway.
   */
  newMemberHint?: (member: string) => string;
  /** Photos analysed so far, of how many. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface Enrolled {
  result: EnrollResult;
  /** JPEG; absent when not asked for, or when the member still has no photos. */
  contactSheet?: Buffer;
}

export async function enrollMemberPhotos(core: CoreContext, request: EnrollRequest): Promise<Enrolled> {
  const { server, member } = request;
  if (member !== undefined && request.newMemberHint !== undefined) refuseLikelyTypo(await core.store.requireGroup(server, request.group), member, request.newMemberHint);
  const summary = await enrollPhotos(core, {
    server,
    group: request.group,
    ...(member === undefined ? {} : { member }),
    ...('paths' in request.photos ? { inputs: request.photos.paths } : { inputs: [], entries: request.photos.entries }),
    layout: request.layout,
    addedBy: request.addedBy,
    ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
  });
  const result: EnrollResult = { group: summary.group.name, outcomes: summary.outcomes, counts: summary.counts };
  if (request.contactSheet !== true || member === undefined || !hasPhotos(summary.group, member)) return { result };
  return { result, contactSheet: (await memberSheet(core, server, summary.group.name, member)).jpeg };
}

function hasPhotos(group: GroupRecord, member: string): boolean {
  return (findMember(group, nameKey(member))?.sampleIds.length ?? 0) > 0;
}
