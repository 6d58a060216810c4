import type { AnnotateResultData } from '../services/annotate-service.ts';
import type { AnswerText } from './phrasing.ts';

/** Who was on screen and for how long. */
export const annotateText: AnswerText<AnnotateResultData> = (data) => data.summary;
