/** The fans' tallies per member: answers confirmed, names corrected, and which members fans say get mixed up. */
import { findMember, nameKey, type FeedbackTally, type GroupRecord } from '../store/index.ts';
import { plural } from '../format.ts';

const bump = (counts: Record<string, number>, key: string): Record<string, number> => ({ ...counts, [key]: (counts[key] ?? 0) + 1 });

export function confusionKey(a: string, b: string): string {
  return [nameKey(a), nameKey(b)].sort().join('|');
}

/** The answer showed `shownAs`, a fan says `member`: the shown member was corrected, and the pair was confused. */
export function withConfusion(tally: FeedbackTally, group: GroupRecord, shownAs: string | null, member: string | null): FeedbackTally {
  if (shownAs === null || findMember(group, nameKey(shownAs)) === undefined || (member !== null && nameKey(member) === nameKey(shownAs))) return tally;
  return {
    ...tally,
    corrected: bump(tally.corrected, nameKey(shownAs)),
    confusions: member === null ? tally.confusions : bump(tally.confusions, confusionKey(shownAs, member)),
  };
}

export function withConfirmation(tally: FeedbackTally, member: string): FeedbackTally {
  return { ...tally, confirmed: bump(tally.confirmed, nameKey(member)) };
}

/** "Jennie: 3 confirmed, 1 corrected" per member fans spoke of, then "Sana ↔ Momo: 4 corrections", most first. */
export function tallyLines(tally: FeedbackTally, group: GroupRecord): string[] {
  const nameOf = (key: string): string => group.members.find((member) => member.key === key)?.name ?? key;
  const members = group.members.flatMap((member) => {
    const confirmed = tally.confirmed[member.key] ?? 0;
    const corrected = tally.corrected[member.key] ?? 0;
    return confirmed + corrected === 0 ? [] : [`${member.name}: ${confirmed} confirmed, ${corrected} corrected`];
  });
  const confusions = Object.entries(tally.confusions).sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key.split('|').map(nameOf).join(' ↔ ')}: ${plural(count, 'correction')}`);
  return [...members, ...confusions];
}
