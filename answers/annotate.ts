import type { AnnotateResultData } from '../services/annotate-service.ts';
import { formatDurationTenths, formatMoment, plural } from '../core/format.ts';
import type { AnswerText } from './phrasing.ts';

/** Who was on screen and for how long; for a member's cut, the stretches it joined. */
export const annotateText: AnswerText<AnnotateResultData> = (data) => {
  const { cut } = data;
  if (cut === undefined) return data.summary;
  const stretches = cut.stretches.map((stretch) => `${formatMoment(stretch.from)}–${formatMoment(stretch.to)}`).join(', ');
  return `${cut.member}'s cut of ${data.source}: ${formatDurationTenths(cut.durationSeconds)} of ${formatDurationTenths(cut.sourceDurationSeconds)}, ${plural(cut.stretches.length, 'stretch', 'stretches')} (${stretches}).\nWhole clip: ${data.summary}`;
};
