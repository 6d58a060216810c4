/** The admin's decision on a pending set: accept all, all but some numbers, or none. */
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { renderContactSheet } from '../render/index.ts';
import type { GroupRecord } from '../store/index.ts';
import type { PendingSet } from './pending-store.ts';

export interface AcceptedSet {
  set: PendingSet;
  accepted: number;
  left: number[];
  group: GroupRecord;
}

/** The pending photos as a numbered sheet, each captioned with its licence when known. */
export async function pendingSheet(set: PendingSet): Promise<Buffer> {
  return renderContactSheet({
    title: `${set.member} · ${set.group} · to review`,
    tiles: set.items.map((item) => ({ thumbnailJpeg: item.sample.thumbnailJpeg, number: item.number, flagged: false, caption: item.sample.provenance.licence ?? '' })),
  });
}

/**
 * Adds the set's photos (but the numbers in `except`) to the member in one commit and removes the set; under a
 * lock, so two admins pressing "accept" at once add them once.
 */
export async function acceptPending(context: CoreContext, server: string, id: string, except: readonly number[] = []): Promise<AcceptedSet> {
  return context.store.withLock(`pending:${server}:${id}`, async () => {
    const set = await context.pending.get(server, id);
    const unknown = except.filter((number) => !set.items.some((item) => item.number === number));
    if (unknown.length > 0) throw new IdolensError('sample_not_found', `The set has no photo numbered ${unknown.join(', ')} (it has 1–${set.items.length}).`);
    const chosen = set.items.filter((item) => !except.includes(item.number));
    const group = chosen.length === 0
      ? await context.store.requireGroup(server, set.group)
      : await context.store.addSamples(server, set.group, set.member, chosen.map((item) => item.sample));
    await context.pending.take(server, id);
    return { set, accepted: chosen.length, left: [...except].sort((a, b) => a - b), group };
  });
}

export async function discardPending(context: CoreContext, server: string, id: string): Promise<PendingSet> {
  return context.store.withLock(`pending:${server}:${id}`, async () => {
    const set = await context.pending.get(server, id);
    await context.pending.take(server, id);
    return set;
  });
}

/** "2 5", "2,5", "#2 #5": the numbers an admin leaves out. */
export function parseNumbers(text: string): number[] {
  const words = text.split(/[\s,]+/).filter((word) => word !== '');
  return words.map((word) => {
    const number = Number(word.replace(/^#/, ''));
    if (!Number.isInteger(number) || number < 1) throw new IdolensError('invalid_option', `"${word}" is not a photo number.`);
    return number;
  });
}
