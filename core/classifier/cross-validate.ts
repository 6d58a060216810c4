import { decideFaces, loadGroupModel, scoreFace } from './classify.ts';
import { fitGroupModel, type TrainingMember } from './fit.ts';
import type { ClassifierProfile } from '../faces/profiles.ts';
import { dot } from './geometry.ts';

export interface MemberReport {
  name: string;
  samples: number;
  /** Held-out photos named right / all held out; null when the member has too few photos to hold one out. */
  accuracy: number | null;
  correct: number;
  wrong: number;
  unknown: number;
}

export interface ConfusedPair {
  a: string;
  b: string;
  /** Held-out photos of either member named as the other. */
  mistakes: number;
  /** Cosine between the two members' centroids: high means they look alike to the model. */
  similarity: number;
  hint: string;
}

export interface TrainingReport {
  members: MemberReport[];
  /** Over all held-out photos; null when nothing could be held out. */
  accuracy: number | null;
  confusedPairs: ConfusedPair[];
  method: 'leave-one-out' | '10-fold';
}

const LEAVE_ONE_OUT_LIMIT = 80;
const SIMILAR_CENTROIDS = 0.25;

interface HeldOut {
  member: number;
  sample: number;
}

function folds(members: readonly TrainingMember[]): HeldOut[][] {
  const all: HeldOut[] = members.flatMap((member, memberIndex) => member.embeddings.map((_, sample) => ({ member: memberIndex, sample })));
  if (all.length <= LEAVE_ONE_OUT_LIMIT) return all.map((item) => [item]);
  const buckets: HeldOut[][] = Array.from({ length: 10 }, () => []);
  all.forEach((item, index) => buckets[index % 10]?.push(item));
  return buckets;
}

/**
 * Cross-validates the whole decision (SVM, calibration, unknown) by refitting without the held-out photos.
 * A member's only photo cannot be held out (the member would vanish from the model), so it is skipped.
 */
export function crossValidate(members: readonly TrainingMember[], embedderId: string, profile: ClassifierProfile): TrainingReport {
  const tallies = members.map((member) => ({ name: member.name, samples: member.embeddings.length, correct: 0, wrong: 0, unknown: 0 }));
  const mistakes = new Map<string, number>();
  const plan = folds(members);
  for (const fold of plan) {
    const held = fold.filter((item) => (members[item.member]?.embeddings.length ?? 0) > 1);
    if (held.length === 0) continue;
    const heldKeys = new Set(held.map((item) => `${item.member}:${item.sample}`));
    const remaining = members.map((member, memberIndex) => ({
      ...member,
      embeddings: member.embeddings.filter((_, sample) => !heldKeys.has(`${memberIndex}:${sample}`)),
    }));
    if (remaining.filter((member) => member.embeddings.length > 0).length < 2) continue;
    const model = loadGroupModel(fitGroupModel(remaining, embedderId, profile));
    const fittedIndex = new Map(model.payload.members.map((member, index) => [member.key, index]));
    for (const item of held) {
      const embedding = members[item.member]?.embeddings[item.sample];
      const tally = tallies[item.member];
      if (!embedding || !tally) continue;
      const [decision] = decideFaces(model, [scoreFace(model, embedding)]);
      const predictedKey = decision?.member === null || decision === undefined ? null : model.payload.members[decision.member]?.key ?? null;
      if (predictedKey === null) tally.unknown += 1;
      else if (fittedIndex.get(predictedKey) !== undefined && predictedKey === members[item.member]?.key) tally.correct += 1;
      else {
        tally.wrong += 1;
        const predictedName = members.find((member) => member.key === predictedKey)?.name ?? predictedKey;
        const pair = [tally.name, predictedName].sort().join('\u0000');
        mistakes.set(pair, (mistakes.get(pair) ?? 0) + 1);
      }
    }
  }
  const full = loadGroupModel(fitGroupModel(members, embedderId, profile));
  return summarise(tallies, mistakes, full.centroids, full.payload.members.map((member) => member.name), plan.length === members.reduce((sum, member) => sum + member.embeddings.length, 0));
}

function summarise(
  tallies: Omit<MemberReport, 'accuracy'>[],
  mistakes: Map<string, number>,
  centroids: Float32Array[],
  centroidNames: string[],
  leaveOneOut: boolean,
): TrainingReport {
  const membersReport = tallies.map((tally) => {
    const evaluated = tally.correct + tally.wrong + tally.unknown;
    return { ...tally, accuracy: evaluated > 0 ? tally.correct / evaluated : null };
  });
  const evaluated = membersReport.reduce((sum, member) => sum + member.correct + member.wrong + member.unknown, 0);
  const correct = membersReport.reduce((sum, member) => sum + member.correct, 0);
  return {
    members: membersReport,
    accuracy: evaluated > 0 ? correct / evaluated : null,
    confusedPairs: confusedPairs(mistakes, centroids, centroidNames),
    method: leaveOneOut ? 'leave-one-out' : '10-fold',
  };
}

function confusedPairs(mistakes: Map<string, number>, centroids: Float32Array[], names: string[]): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  for (let i = 0; i < names.length; i += 1) {
    for (let j = i + 1; j < names.length; j += 1) {
      const a = names[i] ?? '';
      const b = names[j] ?? '';
      const first = centroids[i];
      const second = centroids[j];
      const similarity = first && second ? dot(first, second) : 0;
      const count = mistakes.get([a, b].sort().join('\u0000')) ?? 0;
      if (count === 0 && similarity < SIMILAR_CENTROIDS) continue;
      pairs.push({ a, b, mistakes: count, similarity, hint: `${a} ↔ ${b}: add more photos of both (different days, angles and lighting).` });
    }
  }
  return pairs.sort((x, y) => y.mistakes - x.mistakes || y.similarity - x.similarity).slice(0, 5);
}
