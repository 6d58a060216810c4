import { identifyText } from '../../answers/identify.ts';
import { identifyPictures, isInputFailure, type IdentifiedPicture, type InputFailure, type PictureOutcome } from '../../services/identify-service.ts';
import type { AnswerFile, JobAnswer } from '../results.ts';
import { writeAnswerFile } from './answer-file.ts';
import { intakeEntries } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor, ProcessorContext } from './processor.ts';
import { keepAnswerForFeedback, type AnswerFeedback } from '../../core/feedback/answer-feedback.ts';
import { isRefusedInput, type JobPayload } from '../jobs.ts';
import type { IdentifyResultData } from '../../services/identify-service.ts';

interface AnsweredPicture {
  picture: IdentifiedPicture | InputFailure;
  file?: AnswerFile;
}

/** A labelled picture becomes the answer's file `labelled-N.jpg`, N counting the job's inputs from 1. */
async function answerPicture(workDir: string, outcome: PictureOutcome, index: number): Promise<AnsweredPicture> {
  if (!('labelled' in outcome) || outcome.labelled === undefined) return { picture: outcome.picture };
  const file = await writeAnswerFile(workDir, `labelled-${index + 1}.jpg`, outcome.labelled, 'labelled-image', 'image/jpeg');
  return { picture: { ...outcome.picture, file: file.name }, file };
}

/** A bot's answer on one picture with faces is kept a day for fans to correct (the CLI's answers are not). */
async function correctableAnswer(context: ProcessorContext, payload: JobPayload<'identify'>, pictures: IdentifyResultData['pictures']): Promise<AnswerFeedback | undefined> {
  const [input] = payload.inputs;
  const [picture] = pictures;
  const onBot = payload.request.target.kind === 'discord' || payload.request.target.kind === 'telegram';
  if (!onBot || !payload.render || pictures.length !== 1 || input === undefined || isRefusedInput(input) || picture === undefined || isInputFailure(picture) || picture.faces.length === 0) return undefined;
  const feedback = await keepAnswerForFeedback(context.core, { server: payload.request.server, group: payload.group, picture: input.ref, faces: picture.faces });
  return picture.file === undefined ? feedback : { ...feedback, picture: picture.file };
}

export const identifyProcessor = {
  name: 'identify',
  async run(payload, context): Promise<JobAnswer<'identify'>> {
    const { request } = payload;
    const outcomes = await identifyPictures(context.core, {
      server: request.server, group: payload.group, pictures: await intakeEntries(context, payload.inputs, 'flat'),
      detector: payload.detector, render: payload.render, ...(payload.maxSide === undefined ? {} : { maxSide: payload.maxSide }),
      retryableFailures: 'throw',
    });
    const answered = await Promise.all(outcomes.map((outcome, index) => answerPicture(context.workDir, outcome, index)));
    const data = { group: payload.group, pictures: answered.map((entry) => entry.picture) };
    const files = answered.flatMap((entry) => (entry.file === undefined ? [] : [entry.file]));
    const feedback = await correctableAnswer(context, payload, data.pictures);
    const text = identifyText(data, phrasingFor(request.target));
    return { job: 'identify', text, data, files, someInputBad: data.pictures.some(isInputFailure), ...(feedback === undefined ? {} : { feedback }) };
  },
} satisfies Processor<'identify'>;
