import type { AnnotateResultData } from '../services/annotate-service.ts';
import { formatDurationTenths, plural } from '../core/format.ts';
import type { AnswerText } from './phrasing.ts';

/** Who was on screen and for how long; for a member's cut, the stretches it joined. */
export const annotateText: AnswerText<AnnotateResultData> = (data) => {
  const { cut } = data;
  if (cut === undefined) return data.summary;
  const stretches = cut.stretches.map((stretch) => `${formatClock(stretch.from)}–${formatClock(stretch.to)}`).join(', ');
  return `${cut.member}'s cut of ${data.source}: ${formatDurationTenths(cut.durationSeconds)} of ${formatDurationTenths(cut.sourceDurationSeconds)}, ${plural(cut.stretches.length, 'stretch', 'stretches')} (${stretches}).\nWhole clip: ${data.summary}`;
};

/** A moment of the source clip as a player shows it: 1:05.3. */
function formatClock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
}
