/** A group's feedback record as stored: its suggestions (each with its face's crop) and the fans' tallies. */
import { z } from 'zod';
import { decodeNewSample, encodeNewSample, parseStored, SCHEMA_VERSION } from './codec.ts';
import type { FeedbackRecord } from './records.ts';

const counts = z.record(z.string(), z.number().int().nonnegative());

const storedFeedback = z.object({
  schema: z.literal(SCHEMA_VERSION),
  nextNumber: z.number().int().positive(),
  suggestions: z.array(z.object({
    number: z.number().int().positive(),
    member: z.string().min(1).nullable(),
    shownAs: z.string().min(1).nullable(),
    sample: z.unknown(),
    fans: z.array(z.object({ user: z.string().min(1), name: z.string(), at: z.string().min(1) })).min(1),
    answerId: z.string().min(1),
    face: z.number().int().positive(),
    flag: z.string().exactOptional(),
  })),
  tally: z.object({ confirmed: counts, corrected: counts, confusions: counts }),
});

export function encodeFeedback(record: FeedbackRecord, key: string): z.infer<typeof storedFeedback> {
  const json = {
    schema: SCHEMA_VERSION,
    nextNumber: record.nextNumber,
    suggestions: record.suggestions.map((suggestion) => ({
      ...suggestion, fans: suggestion.fans.map((fan) => ({ ...fan })), sample: encodeNewSample(suggestion.sample, `${key} #${suggestion.number}`),
    })),
    tally: { confirmed: { ...record.tally.confirmed }, corrected: { ...record.tally.corrected }, confusions: { ...record.tally.confusions } },
  };
  return parseStored(storedFeedback, json, key);
}

export function decodeFeedback(value: unknown, key: string): FeedbackRecord {
  const stored = parseStored(storedFeedback, value, key);
  return {
    nextNumber: stored.nextNumber,
    suggestions: stored.suggestions.map(({ sample, flag, ...rest }) => ({
      ...rest, sample: decodeNewSample(sample, `${key} #${rest.number}`), ...(flag === undefined ? {} : { flag }),
    })),
    tally: stored.tally,
  };
}
