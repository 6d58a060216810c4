import type { SearchResultData } from '../services/search-service.ts';
import type { AnswerText } from './phrasing.ts';

/** What the admin reads: how many were kept, why the others were not, and how to decide. */
export const searchText: AnswerText<SearchResultData> = (data, phrasing) => {
  const lines = [`${data.member} (${data.group}): ${data.kept} of ${data.outcomes.length} search results kept for review.`];
  const reasons = reasonCounts(data);
  if (reasons.size > 0) lines.push(`Left out: ${[...reasons].map(([reason, count]) => `${count} × ${reason.replace(/\.$/, '')}`).join('; ')}.`);
  const licences = [...new Set(data.outcomes.filter((outcome) => outcome.status === 'pending').map((outcome) => outcome.licence ?? 'licence unknown'))];
  if (data.kept > 0) lines.push(`Licences: ${licences.join(', ')}.`);
  const id = data.pendingId;
  if (id !== undefined) {
    lines.push(`Nothing is added yet (set ${id}, kept for 24 hours): ${phrasing.acceptPending(id)}, ${phrasing.acceptPending(id, [2, 5])}, or ${phrasing.discardPending(id)}.`);
  }
  return lines.join('\n');
};

/** How many results were left out for each reason. */
function reasonCounts(data: SearchResultData): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const outcome of data.outcomes) {
    if (outcome.status === 'pending') continue;
    const reason = outcome.reason?.message ?? outcome.status;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return reasons;
}
