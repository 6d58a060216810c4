import { IdolensError } from '../errors.ts';
import type { GroupRecord } from '../store/index.ts';
import { nameKey } from '../store/index.ts';
import { closeNames, orList } from '../store/name-suggestions.ts';

/**
 * A member name that is not in the group yet but is close to one that is ("Kazhua" for Kazuha, "Rose" for Rosé)
 * is most likely a typo: refused with the suggestion and `hint` (how to create the new member anyway), so that a
 * slip never makes a sixth member silently.
 */
export function refuseLikelyTypo(group: GroupRecord, member: string, hint: (member: string) => string): void {
  const key = nameKey(member);
  if (group.members.some((existing) => existing.key === key)) return;
  const close = closeNames(member, group.members.map((existing) => existing.name));
  const [first] = close;
  if (first === undefined) return;
  throw new IdolensError('member_typo', `${group.name} has no member named "${member}" yet. Did you mean ${orList(close)}? ${hint(member)}`, { member: member.slice(0, 80), suggestion: first });
}
