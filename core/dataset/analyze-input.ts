import { createHash } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { isIdolensError, IdolensError } from '../errors.ts';
import type { InputItem } from '../intake/index.ts';
import { cropThumbnailJpeg, decodeImage } from '../media/index.ts';
import type { FaceObservation } from '../types.ts';
import { ENROLL_QUALITY } from './quality.ts';

export interface CandidateFace {
  face: FaceObservation;
  thumbnailJpeg: Buffer;
}

/** One input after the heavy work (read, decode, detect, embed), with the raster already released. */
export type AnalyzedInput =
  | { source: string; member: string | undefined; ok: true; contentHash: string; faces: CandidateFace[]; firstFrameOnly: boolean }
  | { source: string; member: string | undefined; ok: false; error: IdolensError };

export async function analyzeInput(context: CoreContext, item: InputItem): Promise<AnalyzedInput> {
  try {
    const bytes = await item.read();
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const image = await decodeImage(bytes, context.mediaLimits);
    const faces = await (await context.faces()).analyze(image, 'accurate');
    const largest = Math.max(0, ...faces.map((face) => face.box.width));
    const candidates = faces.filter((face) => face.box.width >= largest * ENROLL_QUALITY.backgroundFaceRatio);
    const withThumbnails = await Promise.all(candidates.map(async (face) => ({ face, thumbnailJpeg: await cropThumbnailJpeg(image, face.box) })));
    return { source: item.source, member: item.member, ok: true, contentHash, faces: withThumbnails, firstFrameOnly: image.firstFrameOnly };
  } catch (error) {
    if (isIdolensError(error)) return { source: item.source, member: item.member, ok: false, error };
    context.logger.error({ err: error, source: item.source }, 'enroll input failed unexpectedly');
    return { source: item.source, member: item.member, ok: false, error: new IdolensError('internal') };
  }
}
