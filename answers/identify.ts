import { isInputFailure, type IdentifyResultData } from '../services/identify-service.ts';
import type { AnswerText } from './phrasing.ts';

/** One picture: its summary; several: one line per picture, named. */
export const identifyText: AnswerText<IdentifyResultData> = (data) => {
  const lines = data.pictures.map((picture) => (isInputFailure(picture) ? `${picture.source}: ${picture.error.message}` : picture.summary));
  if (data.pictures.length === 1) return lines[0] ?? '';
  return data.pictures.map((picture, index) => `${picture.source}: ${lines[index]}`).join('\n');
};
