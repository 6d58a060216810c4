/**
 * A fan says who a face of an answer is. The correction waits for an admin as a suggestion; it never changes the
 * group by itself. Fans who give the same face the same name agree on one suggestion; each fan has an hourly cap.
 */
import type { CoreContext } from '../context.ts';
import { nearestDistance } from '../dataset/face-choice.ts';
import { IdolensError } from '../errors.ts';
import { plural } from '../format.ts';
import { recognitionProfile } from '../faces/profiles.ts';
import { findMember, nameKey, type FeedbackRecord, type GroupRecord, type NewSample, type SampleRecord, type SuggestingFan, type SuggestionRecord } from '../store/index.ts';
import type { AnswerRecord } from './answer-store.ts';
import { withConfusion } from './tally.ts';

export interface Fan {
  user: string;
  name: string;
}

export interface CorrectionRequest {
  server: string;
  answerId: string;
  /** 1-based, left to right as the answer listed them. */
  face: number;
  /** A member's name, or null: someone not in the group. */
  member: string | null;
  fan: Fan;
}

export interface CorrectionOutcome {
  number: number;
  member: string | null;
  /** Fans who now say so, this one included. */
  fans: number;
  /** This fan had already said so: nothing was counted again. */
  repeated: boolean;
  flag?: string;
}

/** Pending suggestions a group keeps at most (each holds a face crop): past it, new ones wait for admins to decide. */
export const MAX_PENDING_SUGGESTIONS = 200;

/** Refuses what cannot become a suggestion before any picture is fetched: an expired answer, a wrong face or name, a fan over the cap. */
export async function checkCorrection(context: CoreContext, request: CorrectionRequest): Promise<{ answer: AnswerRecord; member: string | null }> {
  const answer = await context.answers.get(request.server, request.answerId);
  if (!Number.isInteger(request.face) || request.face < 1 || request.face > answer.faces.length) {
    throw new IdolensError('face_not_found', `That answer has ${answer.faces.length === 1 ? 'one face (number 1)' : `faces 1 to ${answer.faces.length}`}.`);
  }
  const group = await context.store.requireGroup(request.server, answer.group);
  const member = request.member === null ? null : findMember(group, nameKey(request.member))?.name;
  if (member === undefined) throw new IdolensError('member_not_found', `${group.name} has no member named "${request.member ?? ''}". Its members: ${group.members.map((entry) => entry.name).join(', ')}.`);
  const shown = answer.faces[request.face - 1]?.name ?? null;
  if (shown === member) throw new IdolensError('invalid_option', `My answer already says face ${request.face} is ${member ?? `someone not in ${group.name}`}: name who it really is.`);
  if (await context.answers.recentCorrections(request.server, request.fan.user) >= context.correctionsPerHour) {
    throw new IdolensError('correction_limit', `You have suggested ${plural(context.correctionsPerHour, 'correction')} here in the last hour, as many as one person may; thank you! Try again later.`);
  }
  return { answer, member };
}

/** Stores the suggestion (or the fan's agreement with an equal one) with the face's sample; counts it against the fan's cap. */
export async function recordCorrection(context: CoreContext, request: CorrectionRequest, sample: NewSample): Promise<CorrectionOutcome> {
  return context.store.withLock(`corrections:${request.server}:${request.fan.user}`, async () => {
    const { answer, member } = await checkCorrection(context, request);
    const shownAs = answer.faces[request.face - 1]?.name ?? null;
    const fan: SuggestingFan = { ...request.fan, at: new Date().toISOString() };
    const nearDuplicate = recognitionProfile(context.embedder).enroll.nearDuplicate;
    const { result } = await context.store.changeFeedback(request.server, answer.group, (feedback, group, samples) => {
      const same = feedback.suggestions.find((entry) => entry.member === member && (
        (entry.answerId === answer.id && entry.face === request.face)
        || (entry.sample.embedderId === sample.embedderId && nearestDistance(sample.embedding, [entry.sample.embedding]) < nearDuplicate)));
      if (same !== undefined) return agreeWith(feedback, same, fan, shownAs, group);
      if (feedback.suggestions.length >= MAX_PENDING_SUGGESTIONS) throw new IdolensError('suggestions_full', `${MAX_PENDING_SUGGESTIONS} suggestions are already waiting for review in ${group.name}: an admin has to decide on them (/suggestions) before more can be taken.`);
      const flag = alreadyAnotherMember(group, samples, sample, member, nearDuplicate);
      const suggestion: SuggestionRecord = { number: feedback.nextNumber, member, shownAs, sample, fans: [fan], answerId: answer.id, face: request.face, ...(flag === undefined ? {} : { flag }) };
      return {
        feedback: { ...feedback, nextNumber: feedback.nextNumber + 1, suggestions: [...feedback.suggestions, suggestion], tally: withConfusion(feedback.tally, group, shownAs, member) },
        result: { number: suggestion.number, member, fans: 1, repeated: false, ...(flag === undefined ? {} : { flag }) },
      };
    });
    if (!result.repeated) await context.answers.countCorrection(request.server, request.fan.user);
    return result;
  });
}

function agreeWith(feedback: FeedbackRecord, same: SuggestionRecord, fan: SuggestingFan, shownAs: string | null, group: GroupRecord) {
  const outcome = (fans: number, repeated: boolean): CorrectionOutcome => ({ number: same.number, member: same.member, fans, repeated, ...(same.flag === undefined ? {} : { flag: same.flag }) });
  if (same.fans.some((entry) => entry.user === fan.user)) return { feedback, result: outcome(same.fans.length, true) };
  const agreed: SuggestionRecord = { ...same, fans: [...same.fans, fan] };
  return {
    feedback: { ...feedback, suggestions: feedback.suggestions.map((entry) => (entry === same ? agreed : entry)), tally: withConfusion(feedback.tally, group, shownAs, same.member) },
    result: outcome(agreed.fans.length, false),
  };
}

/** A face that is already (nearly) a photo of another member is worth a second look before it joins this one. */
function alreadyAnotherMember(group: GroupRecord, samples: readonly SampleRecord[], sample: NewSample, member: string | null, nearDuplicate: number): string | undefined {
  if (member === null) return undefined;
  const others = samples.filter((entry) => entry.memberKey !== nameKey(member) && entry.embedderId === sample.embedderId);
  const closest = others.map((entry) => ({ entry, distance: nearestDistance(sample.embedding, [entry.embedding]) })).sort((a, b) => a.distance - b.distance)[0];
  if (closest === undefined || closest.distance >= nearDuplicate) return undefined;
  const owner = group.members.find((entry) => entry.key === closest.entry.memberKey);
  const number = (owner?.sampleIds.indexOf(closest.entry.id) ?? -1) + 1;
  return `This face is already one of ${owner?.name ?? 'another member'}'s photos (#${number}).`;
}
