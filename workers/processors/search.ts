import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pendingSheet } from '../../core/search/review.ts';
import { searchForMember, type SearchEnrollResult } from '../../core/search/search-enroll.ts';
import type { AnswerFile, JobAnswer, SearchResultData } from '../results.ts';
import type { Processor } from './processor.ts';

/** What the admin reads: how many were kept, why the others were not, and how to decide. */
export function searchText(data: SearchResultData): string {
  const dropped = data.outcomes.filter((outcome) => outcome.status !== 'pending');
  const lines = [`${data.member} (${data.group}): ${data.kept} of ${data.outcomes.length} search results kept for review.`];
  const reasons = new Map<string, number>();
  for (const outcome of dropped) {
    const reason = outcome.reason?.message ?? outcome.status;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  if (reasons.size > 0) lines.push(`Left out: ${[...reasons].map(([reason, count]) => `${count} × ${reason.replace(/\.$/, '')}`).join('; ')}.`);
  const licences = [...new Set(data.outcomes.filter((outcome) => outcome.status === 'pending').map((outcome) => outcome.licence ?? 'licence unknown'))];
  if (data.kept > 0) lines.push(`Licences: ${licences.join(', ')}.`);
  if (data.pendingId !== undefined) {
    lines.push(`Nothing is added yet (set ${data.pendingId}, kept for 24 hours): /review ${data.pendingId} accept, /review ${data.pendingId} accept except 2 5, or /review ${data.pendingId} discard.`);
  }
  return lines.join('\n');
}

function resultData(result: SearchEnrollResult): SearchResultData {
  return {
    group: result.group, member: result.member, query: result.query, provider: result.provider,
    ...(result.pending === undefined ? {} : { pendingId: result.pending.id }),
    kept: result.pending?.items.length ?? 0,
    outcomes: result.outcomes,
  };
}

export const searchProcessor = {
  name: 'search',
  async run(payload, context): Promise<JobAnswer<'search'>> {
    const result = await searchForMember(context.core, context.core.search, {
      server: payload.request.server, group: payload.group, member: payload.member, query: payload.query, count: payload.count,
      ...(payload.provider === undefined ? {} : { provider: payload.provider }), addedBy: payload.request.by,
    });
    const data = resultData(result);
    const files: AnswerFile[] = [];
    if (result.pending !== undefined) {
      const sheet = await pendingSheet(result.pending);
      const file = path.join(context.workDir, 'review-sheet.jpg');
      await writeFile(file, sheet);
      files.push({ name: `${result.member}-to-review.jpg`, role: 'review-sheet', contentType: 'image/jpeg', path: file, bytes: sheet.length });
    }
    return { job: 'search', text: searchText(data), data, files, someInputBad: data.kept === 0 };
  },
} satisfies Processor<'search'>;
