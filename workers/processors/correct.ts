import path from 'node:path';
import { correctText } from '../../answers/correct.ts';
import type { AnswerRecord } from '../../core/feedback/answer-store.ts';
import { clipFrame } from '../../core/video/still-frame.ts';
import { suggestCorrection } from '../../services/feedback-service.ts';
import type { JobAnswer } from '../results.ts';
import { fetchClipToFile, fetchImage } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor, ProcessorContext } from './processor.ts';

/** The answered picture again: the photo, or the still's moment of the clip. */
async function answeredPicture(context: ProcessorContext, answer: AnswerRecord): Promise<Uint8Array> {
  if (answer.frameSeconds === undefined) return fetchImage(context, answer.picture);
  const clip = path.join(context.workDir, 'clip');
  await fetchClipToFile(context, answer.picture, clip);
  return clipFrame(context.core.mediaTools(), clip, answer.frameSeconds, { timeoutMs: context.core.videoLimits.timeoutSeconds * 1000, signal: context.signal });
}

export const correctProcessor = {
  name: 'correct',
  async run(payload, context): Promise<JobAnswer<'correct'>> {
    const { request } = payload;
    const data = await suggestCorrection(
      context.core,
      { server: request.server, answerId: payload.answerId, face: payload.face, member: payload.member, fan: { user: request.by, name: payload.fanName } },
      (answer) => answeredPicture(context, answer),
    );
    return { job: 'correct', text: correctText(data, phrasingFor(request.target)), data, files: [], someInputBad: false };
  },
} satisfies Processor<'correct'>;
