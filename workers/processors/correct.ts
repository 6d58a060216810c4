import { correctText } from '../../answers/correct.ts';
import { suggestCorrection } from '../../services/feedback-service.ts';
import type { JobAnswer } from '../results.ts';
import { fetchImage } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

export const correctProcessor = {
  name: 'correct',
  async run(payload, context): Promise<JobAnswer<'correct'>> {
    const { request } = payload;
    const data = await suggestCorrection(
      context.core,
      { server: request.server, answerId: payload.answerId, face: payload.face, member: payload.member, fan: { user: request.by, name: payload.fanName } },
      (ref) => fetchImage(context, ref),
    );
    return { job: 'correct', text: correctText(data, phrasingFor(request.target)), data, files: [], someInputBad: false };
  },
} satisfies Processor<'correct'>;
