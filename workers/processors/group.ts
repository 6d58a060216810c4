import { groupText } from '../../answers/group.ts';
import { runGroupAction } from '../../services/group-service.ts';
import type { JobAnswer } from '../results.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

export const groupProcessor = {
  name: 'group',
  async run(payload, context): Promise<JobAnswer<'group'>> {
    const { request } = payload;
    const data = await runGroupAction(context.core, request.server, payload, request.id);
    return { job: 'group', text: groupText(data, phrasingFor(request.target)), data, files: [], someInputBad: false };
  },
} satisfies Processor<'group'>;
