/** Pure changes of a group's feedback record. */
import { nameKey } from './names.ts';
import type { FeedbackRecord } from './records.ts';

function withoutKey(counts: Record<string, number>, drop: (key: string) => boolean): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([key]) => !drop(key)));
}

/** A forgotten member's suggestions and tallies go with her. */
export function withoutMemberFeedback(record: FeedbackRecord, memberKey: string): FeedbackRecord {
  const pair = (key: string): boolean => key.split('|').includes(memberKey);
  return {
    nextNumber: record.nextNumber,
    suggestions: record.suggestions.filter((suggestion) => (suggestion.member === null ? true : nameKey(suggestion.member) !== memberKey)),
    tally: {
      confirmed: withoutKey(record.tally.confirmed, (key) => key === memberKey),
      corrected: withoutKey(record.tally.corrected, (key) => key === memberKey),
      confusions: withoutKey(record.tally.confusions, pair),
    },
  };
}
