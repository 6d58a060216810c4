/**
 * Admins decide on fans' suggestions: accept all, all but some, or reject. Accepted names become samples with their
 * provenance ("suggested by …, approved by …"); "not in the group" answers are acknowledged and dropped. Nobody
 * approves their own suggestion: those stay pending for another admin.
 */
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { renderContactSheet } from '../render/index.ts';
import type { FeedbackRecord, GroupRecord, NewSample, SuggestionRecord } from '../store/index.ts';
import type { Fan } from './corrections.ts';

export interface SuggestionsDecision {
  group: GroupRecord;
  /** Numbers that became samples. */
  accepted: number[];
  /** Numbers answered "not in the group": dropped, nothing added. */
  notInGroup: number[];
  rejected: number[];
  /** Numbers this admin suggested: left for another admin. */
  ownLeft: number[];
}

/** `only`: just these numbers; `shown`: those of these a review sheet showed that are still pending; `except`: all pending but these. */
export interface Selection {
  only?: readonly number[];
  shown?: readonly number[];
  except?: readonly number[];
}

function chosen(feedback: FeedbackRecord, selection: Selection): SuggestionRecord[] {
  const numbers = [...(selection.only ?? []), ...(selection.except ?? [])];
  const missing = numbers.filter((number) => !feedback.suggestions.some((entry) => entry.number === number));
  if (missing.length > 0) {
    const pending = feedback.suggestions.map((entry) => `#${entry.number}`).join(', ') || 'none';
    throw new IdolensError('suggestion_not_found', `No pending suggestion is numbered ${missing.map((number) => `#${number}`).join(', ')} (pending: ${pending}).`);
  }
  const among = selection.only ?? selection.shown;
  return feedback.suggestions.filter((entry) => (among === undefined || among.includes(entry.number)) && !(selection.except ?? []).includes(entry.number));
}

function acceptedSample(suggestion: SuggestionRecord, approver: Fan): NewSample {
  return {
    ...suggestion.sample,
    provenance: {
      source: `fan correction #${suggestion.number}`,
      addedBy: approver.user,
      addedAt: new Date().toISOString(),
      suggestedBy: suggestion.fans.map((fan) => fan.user),
      approvedBy: approver.user,
    },
  };
}

export async function acceptSuggestions(context: CoreContext, server: string, groupName: string, approver: Fan, selection: Selection = {}): Promise<SuggestionsDecision> {
  const { group, result } = await context.store.changeFeedback(server, groupName, (feedback, current, samples) => {
    const picked = chosen(feedback, selection);
    const own = picked.filter((entry) => entry.fans.some((fan) => fan.user === approver.user));
    const decided = picked.filter((entry) => !own.includes(entry));
    const hashes = new Set(samples.map((sample) => sample.contentHash));
    // A member forgotten meanwhile takes her suggestions with her; any left over are dropped, never re-create her.
    const named = decided.filter((entry): entry is SuggestionRecord & { member: string } => entry.member !== null && current.members.some((member) => member.name === entry.member));
    const add = named.filter((entry) => !hashes.has(entry.sample.contentHash)).map((entry) => ({ member: entry.member, sample: acceptedSample(entry, approver) }));
    return {
      feedback: { ...feedback, suggestions: feedback.suggestions.filter((entry) => !decided.includes(entry)) },
      add,
      result: {
        accepted: named.map((entry) => entry.number),
        notInGroup: decided.filter((entry) => entry.member === null).map((entry) => entry.number),
        rejected: [],
        ownLeft: own.map((entry) => entry.number),
      },
    };
  });
  return { group, ...result };
}

/** Drops the chosen suggestions (all pending when `only` is absent); nothing is added. */
export async function rejectSuggestions(context: CoreContext, server: string, groupName: string, selection: Selection = {}): Promise<SuggestionsDecision> {
  const { group, result } = await context.store.changeFeedback(server, groupName, (feedback) => {
    const picked = chosen(feedback, selection);
    return {
      feedback: { ...feedback, suggestions: feedback.suggestions.filter((entry) => !picked.includes(entry)) },
      result: { accepted: [], notInGroup: [], rejected: picked.map((entry) => entry.number), ownLeft: [] },
    };
  });
  return { group, ...result };
}

/** "Lisa ×2" or "not in group", under each face on the review sheet. */
export function suggestionCaption(suggestion: SuggestionRecord): string {
  const name = suggestion.member ?? 'not in group';
  return suggestion.fans.length > 1 ? `${name} ×${suggestion.fans.length}` : name;
}

export async function suggestionsSheet(group: GroupRecord, suggestions: readonly SuggestionRecord[]): Promise<Buffer> {
  return renderContactSheet({
    title: `${group.name} · fans' suggestions`,
    tiles: suggestions.map((entry) => ({ thumbnailJpeg: entry.sample.thumbnailJpeg, number: entry.number, flagged: entry.flag !== undefined, caption: suggestionCaption(entry) })),
  });
}

/** One line per suggestion: "#3: face 2 of an answer that said Jennie → Lisa, by Mina and 1 more fan (2 agree). ⚠ …". */
export function suggestionLine(suggestion: SuggestionRecord): string {
  const [first] = suggestion.fans;
  const others = suggestion.fans.length - 1;
  const by = `${first?.name ?? '?'}${others > 0 ? ` and ${others} more fan${others === 1 ? '' : 's'} (${suggestion.fans.length} agree)` : ''}`;
  const said = suggestion.shownAs === null ? 'unknown' : suggestion.shownAs;
  const now = suggestion.member === null ? 'someone not in the group' : suggestion.member;
  return `#${suggestion.number}: shown as ${said}, suggested ${now} by ${by}.${suggestion.flag === undefined ? '' : ` Check: ${suggestion.flag}`}`;
}
