import type { EnrollResult } from '../services/enroll-service.ts';
import type { AnswerText } from './phrasing.ts';

/** The counts, the photos each member gained (an import), and every photo not simply accepted with why. */
export const enrollText: AnswerText<EnrollResult> = (result) => {
  const { accepted, rejected, duplicate, flagged } = result.counts;
  const lines = [`${result.group}: ${accepted} accepted, ${rejected} rejected, ${duplicate} duplicate, ${flagged} flagged for review.`];
  const perMember = acceptedPerMember(result);
  if (perMember.size > 1) lines.push(`Accepted per member: ${[...perMember].map(([member, count]) => `${member} ${count}`).join(', ')}.`);
  for (const outcome of result.outcomes) {
    if (outcome.status !== 'accepted') lines.push(`${outcome.source}: ${outcome.reason?.message ?? outcome.status}`);
    else if (outcome.flagged) lines.push(`${outcome.source}: accepted, to review (${outcome.flagReason ?? 'unlike the others'})`);
  }
  return lines.join('\n');
};

function acceptedPerMember(result: EnrollResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of result.outcomes) {
    if (outcome.status === 'accepted' && outcome.member !== null) counts.set(outcome.member, (counts.get(outcome.member) ?? 0) + 1);
  }
  return counts;
}
