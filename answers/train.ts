import { formatPercent } from '../core/format.ts';
import { needPhotosAgainLines } from '../core/training/reembed.ts';
import type { TrainResult } from '../services/train-service.ts';
import type { AnswerText } from './phrasing.ts';

const percent = (value: number | null): string => (value === null ? 'not measurable yet' : formatPercent(value));

export const trainText: AnswerText<TrainResult> = (result) => [
  `${result.group}: cross-validated accuracy ${percent(result.report.accuracy)}.`,
  ...result.report.confusedPairs.map((pair) => `Confused: ${pair.hint}`),
  ...needPhotosAgainLines(result.needPhotosAgain),
].join('\n');
