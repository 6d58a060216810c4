import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mapConcurrent } from '../../core/concurrency.ts';
import { toNotice } from '../../core/errors.ts';
import { identifyImage } from '../../core/identify/identify.ts';
import { currentModel, type TrainedGroup } from '../../core/training/train-group.ts';
import { isPermanentFailure } from '../job-errors.ts';
import { isRefusedInput, type JobInput, type JobPayload } from '../jobs.ts';
import { isInputFailure, type AnswerFile, type IdentifiedPicture, type IdentifyResultData, type InputFailure, type JobAnswer } from '../results.ts';
import { fetchImage } from './media-inputs.ts';
import type { Processor, ProcessorContext } from './processor.ts';

type Picture = { picture: IdentifiedPicture; file?: AnswerFile } | { picture: InputFailure };

async function identifyInput(payload: JobPayload<'identify'>, trained: TrainedGroup, input: JobInput, index: number, context: ProcessorContext): Promise<Picture> {
  if (isRefusedInput(input)) return { picture: { source: input.source, error: input.error } };
  const source = input.ref.name;
  try {
    const bytes = await fetchImage(context, input.ref);
    const result = await identifyImage(context.core, { server: payload.request.server, group: payload.group, bytes, source, render: payload.render, detector: payload.detector, trained, ...(payload.maxSide === undefined ? {} : { maxSide: payload.maxSide }) });
    const picture: IdentifiedPicture = { source, width: result.width, height: result.height, faces: result.faces, summary: result.summary };
    if (!result.labelled) return { picture };
    const name = `labelled-${index + 1}.jpg`;
    const file = path.join(context.workDir, name);
    await writeFile(file, result.labelled.jpeg);
    return { picture: { ...picture, file: name }, file: { name, role: 'labelled-image', contentType: 'image/jpeg', path: file, bytes: result.labelled.jpeg.length } };
  } catch (error) {
    // A bad picture is reported with the others; a failure that may pass (a download, our side) fails the job so that it is retried.
    if (!isPermanentFailure(error)) throw error;
    return { picture: { source, error: toNotice(error) } };
  }
}

export function identifyText(data: IdentifyResultData): string {
  const lines = data.pictures.map((picture) => (isInputFailure(picture) ? `${picture.source}: ${picture.error.message}` : picture.summary));
  if (data.pictures.length === 1) return lines[0] ?? '';
  return data.pictures.map((picture, index) => `${picture.source}: ${lines[index]}`).join('\n');
}

export const identifyProcessor = {
  name: 'identify',
  async run(payload, context): Promise<JobAnswer<'identify'>> {
    // Refuses an unknown or untrained group once, before any picture is fetched.
    const trained = await currentModel(context.core, payload.request.server, payload.group);
    const engine = await context.core.faces();
    const indexed = payload.inputs.map((input, index) => ({ input, index }));
    const pictures = await mapConcurrent(indexed, engine.size, ({ input, index }) => identifyInput(payload, trained, input, index, context));
    const data: IdentifyResultData = { group: payload.group, pictures: pictures.map((entry) => entry.picture) };
    const files = pictures.flatMap((entry) => ('file' in entry && entry.file ? [entry.file] : []));
    return { job: 'identify', text: identifyText(data), data, files, someInputBad: data.pictures.some(isInputFailure) };
  },
} satisfies Processor<'identify'>;
