import type { GroupListEntry, GroupResult } from '../services/group-service.ts';
import type { AnswerText } from './phrasing.ts';
import { plural } from '../core/format.ts';

/** One group in a list: "TWICE: 9 members, 45 photos, trained". */
export function groupListLine(entry: GroupListEntry): string {
  return `${entry.group}: ${plural(entry.members, 'member')}, ${plural(entry.samples, 'photo')}${entry.trained ? ', trained' : ''}`;
}

export const groupText: AnswerText<GroupResult> = (result) => {
  switch (result.action) {
    case 'create': return `Created group ${result.group}.`;
    case 'rename': return `Renamed ${result.renamedFrom} to ${result.group}.`;
    case 'delete': return `Deleted group ${result.group}.`;
    case 'list': return result.groups.length === 0 ? 'No groups yet.' : result.groups.map(groupListLine).join('\n');
  }
};
