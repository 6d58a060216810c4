import { needPhotosAgainLines } from '../../core/training/reembed.ts';
import { currentModel, trainGroup } from '../../core/training/train-group.ts';
import type { JobAnswer, TrainResult } from '../results.ts';
import type { Processor } from './processor.ts';

const percent = (value: number | null): string => (value === null ? 'not measurable yet' : `${Math.round(value * 100)}%`);

export function trainText(result: TrainResult): string {
  const pairs = result.report.confusedPairs.map((pair) => pair.hint);
  return [
    `${result.group}: cross-validated accuracy ${percent(result.report.accuracy)}.`,
    ...pairs.map((hint) => `Confused: ${hint}`),
    ...needPhotosAgainLines(result.needPhotosAgain),
  ].join('\n');
}

export const trainProcessor = {
  name: 'train',
  async run(payload, context): Promise<JobAnswer<'train'>> {
    const { server } = payload.request;
    const trained = payload.force ? await trainGroup(context.core, server, payload.group) : await currentModel(context.core, server, payload.group);
    const data: TrainResult = { group: trained.group.name, retrained: trained.retrained, report: trained.report, needPhotosAgain: trained.needPhotosAgain };
    return { job: 'train', text: trainText(data), data, files: [], someInputBad: false };
  },
} satisfies Processor<'train'>;
