import type { CoreContext } from '../../core/context.ts';
import { isIdolensError } from '../../core/errors.ts';
import type { StoredModel } from '../../core/store/index.ts';
import type { GroupAction } from '../jobs.ts';
import type { GroupListEntry, GroupResult, JobAnswer } from '../results.ts';
import type { Processor } from './processor.ts';

export async function listGroups(context: CoreContext, server: string): Promise<GroupListEntry[]> {
  const { store } = context;
  const groups = await store.listGroups(server);
  const entries = await Promise.all(groups.map(async (entry): Promise<GroupListEntry | undefined> => {
    const model = await modelIfStillThere(context, server, entry.name);
    if (model === 'gone') return undefined;
    return {
      group: entry.name,
      members: entry.members.length,
      samples: entry.members.reduce((sum, member) => sum + member.sampleIds.length, 0),
      trained: model !== undefined && model.groupRevision === entry.revision,
    };
  }));
  return entries.filter((entry) => entry !== undefined);
}

/** A group renamed or deleted between the listing and this read is left out of the list, not an error. */
async function modelIfStillThere(context: CoreContext, server: string, group: string): Promise<StoredModel<unknown> | undefined | 'gone'> {
  try {
    return await context.store.getModel(server, group);
  } catch (error) {
    if (isIdolensError(error) && error.code === 'group_not_found') return 'gone';
    throw error;
  }
}

/** The group action itself, shared by the job and the CLI's local path. */
/** `request` makes a retried create or rename find its own earlier work instead of a conflict. */
export async function runGroupAction(core: CoreContext, server: string, action: GroupAction, request?: string): Promise<GroupResult> {
  const { store } = core;
  switch (action.action) {
    case 'create': return { action: 'create', group: (await store.createGroup(server, action.group, request)).name };
    case 'list': return { action: 'list', groups: await listGroups(core, server) };
    case 'rename': return { action: 'rename', group: (await store.renameGroup(server, action.group, action.newName, request)).name, renamedFrom: action.group };
    case 'delete': return { action: 'delete', group: (await store.deleteGroup(server, action.group, request)).name };
  }
}

/** One group in a list: "TWICE: 9 members, 45 photos, trained". */
export function groupListLine(entry: GroupListEntry): string {
  return `${entry.group}: ${entry.members} members, ${entry.samples} photos${entry.trained ? ', trained' : ''}`;
}

export function groupText(result: GroupResult): string {
  switch (result.action) {
    case 'create': return `Created group ${result.group}.`;
    case 'rename': return `Renamed ${result.renamedFrom} to ${result.group}.`;
    case 'delete': return `Deleted group ${result.group}.`;
    case 'list': return result.groups.length === 0
      ? 'No groups yet.'
      : result.groups.map(groupListLine).join('\n');
  }
}

export const groupProcessor = {
  name: 'group',
  async run(payload, context): Promise<JobAnswer<'group'>> {
    const data = await runGroupAction(context.core, payload.request.server, payload, payload.request.id);
    return { job: 'group', text: groupText(data), data, files: [], someInputBad: false };
  },
} satisfies Processor<'group'>;
