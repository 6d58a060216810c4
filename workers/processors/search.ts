import { searchText } from '../../answers/search.ts';
import { searchMemberPhotos } from '../../services/search-service.ts';
import type { JobAnswer } from '../results.ts';
import { writeAnswerFile } from './answer-file.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

export const searchProcessor = {
  name: 'search',
  async run(payload, context): Promise<JobAnswer<'search'>> {
    const { request } = payload;
    const { data, reviewSheet } = await searchMemberPhotos(context.core, {
      server: request.server, group: payload.group, member: payload.member, query: payload.query, count: payload.count,
      ...(payload.provider === undefined ? {} : { provider: payload.provider }), addedBy: request.by,
    });
    const files = reviewSheet === undefined ? [] : [{
      ...await writeAnswerFile(context.workDir, 'review-sheet.jpg', reviewSheet, 'review-sheet', 'image/jpeg'),
      name: `${data.member}-to-review.jpg`,
    }];
    return { job: 'search', text: searchText(data, phrasingFor(request.target)), data, files, someInputBad: data.kept === 0 };
  },
} satisfies Processor<'search'>;
