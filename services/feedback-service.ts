/**
 * A fan's correction as a job: refused early when it cannot count (expired answer, wrong face, over the cap), then
 * the picture is fetched again from the platform, the corrected face's crop kept, and the suggestion stored.
 */
import type { CoreContext } from '../core/context.ts';
import { checkCorrection, recordCorrection, type CorrectionOutcome, type CorrectionRequest } from '../core/feedback/corrections.ts';
import { faceSampleAt } from '../core/feedback/face-sample.ts';
import { IdolensError, isIdolensError } from '../core/errors.ts';
import type { AnswerRecord } from '../core/feedback/answer-store.ts';

export type { CorrectionOutcome } from '../core/feedback/corrections.ts';

export interface CorrectionResultData extends CorrectionOutcome {
  group: string;
  face: number;
}

export async function suggestCorrection(
  context: CoreContext,
  request: CorrectionRequest,
  fetchPicture: (answer: AnswerRecord) => Promise<Uint8Array>,
): Promise<CorrectionResultData> {
  const { answer } = await checkCorrection(context, request);
  const face = answer.faces[request.face - 1];
  if (face === undefined) throw new IdolensError('face_not_found');
  const bytes = await fetchPicture(answer).catch((error: unknown) => {
    if (isIdolensError(error) && error.code !== 'download_failed') throw new IdolensError('picture_gone');
    throw error;
  });
  const sample = await faceSampleAt(context, bytes, face.box, { source: 'fan correction', addedBy: request.fan.user, addedAt: new Date().toISOString() });
  const outcome = await recordCorrection(context, request, sample);
  return { ...outcome, group: answer.group, face: request.face };
}
