import { trainText } from '../../answers/train.ts';
import { trainGroupModel } from '../../services/train-service.ts';
import type { JobAnswer } from '../results.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

export const trainProcessor = {
  name: 'train',
  async run(payload, context): Promise<JobAnswer<'train'>> {
    const { request } = payload;
    const data = await trainGroupModel(context.core, { server: request.server, group: payload.group, force: payload.force });
    return { job: 'train', text: trainText(data, phrasingFor(request.target)), data, files: [], someInputBad: false };
  },
} satisfies Processor<'train'>;
