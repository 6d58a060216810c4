/**
 * Under a clip's answer on the bots, a labelled still: the moment most members were on screen, named as /identify
 * names a picture. Fans correct it like any labelled picture; the answer keeps the clip's reference and the moment.
 */
import { keepAnswerForFeedback, type AnswerFeedback } from '../../core/feedback/answer-feedback.ts';
import { formatMoment } from '../../core/format.ts';
import { identifyImage } from '../../core/identify/identify.ts';
import { clipFrame } from '../../core/video/still-frame.ts';
import type { JobPayload } from '../jobs.ts';
import type { AnswerFile } from '../results.ts';
import { writeAnswerFile } from './answer-file.ts';
import type { ProcessorContext } from './processor.ts';

export interface LabelledStill {
  file: AnswerFile;
  /** The still in words, for the answer's text. */
  line: string;
  feedback: AnswerFeedback;
}

export async function labelledStill(context: ProcessorContext, payload: JobPayload<'annotate'>, clipPath: string, seconds: number): Promise<LabelledStill | undefined> {
  const { core } = context;
  const frame = await clipFrame(core.mediaTools(), clipPath, seconds, { timeoutMs: core.videoLimits.timeoutSeconds * 1000, signal: context.signal });
  const { server } = payload.request;
  const moment = formatMoment(seconds);
  const still = await identifyImage(core, { server, group: payload.group, bytes: frame, source: `${payload.clip.name} at ${moment}`, render: true });
  if (still.labelled === undefined || still.faces.length === 0) return undefined;
  const file = await writeAnswerFile(context.workDir, 'moment.jpg', still.labelled.jpeg, 'labelled-image', 'image/jpeg');
  const feedback = await keepAnswerForFeedback(core, { server, group: payload.group, picture: payload.clip, frameSeconds: seconds, faces: still.faces });
  return { file, line: `At ${moment} (the picture): ${still.summary}`, feedback: { ...feedback, picture: file.name } };
}
