/** Groups of a server: create, list, rename, delete. */
import type { CoreContext } from '../core/context.ts';
import { isIdolensError } from '../core/errors.ts';
import type { StoredModel } from '../core/store/index.ts';

export type GroupAction =
  | { action: 'create'; group: string }
  | { action: 'list' }
  | { action: 'rename'; group: string; newName: string }
  | { action: 'delete'; group: string };

export interface GroupListEntry {
  group: string;
  members: number;
  samples: number;
  trained: boolean;
}

export type GroupResult =
  | { action: 'create'; group: string }
  | { action: 'list'; groups: GroupListEntry[] }
  | { action: 'rename'; group: string; renamedFrom: string }
  | { action: 'delete'; group: string };

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

export async function listGroups(core: CoreContext, server: string): Promise<GroupListEntry[]> {
  const groups = await core.store.listGroups(server);
  const entries = await Promise.all(groups.map(async (entry): Promise<GroupListEntry | undefined> => {
    const model = await modelIfStillThere(core, server, entry.name);
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
async function modelIfStillThere(core: CoreContext, server: string, group: string): Promise<StoredModel<unknown> | undefined | 'gone'> {
  try {
    return await core.store.getModel(server, group);
  } catch (error) {
    if (isIdolensError(error) && error.code === 'group_not_found') return 'gone';
    throw error;
  }
}
