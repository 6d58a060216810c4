import { createHash } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { isIdolensError, IdolensError } from '../errors.ts';
import type { InputItem } from '../intake/index.ts';
import { cropThumbnailJpeg, decodeImage, encodeJpeg } from '../media/index.ts';
import type { FaceCropRecord, NewSample, Provenance } from '../store/index.ts';
import type { FaceCrop } from '../faces/face-crop.ts';
import type { DecodedImage, FaceObservation } from '../types.ts';
import { ENROLL_QUALITY } from './quality.ts';

export interface CandidateFace {
  face: FaceObservation;
  thumbnailJpeg: Buffer;
  faceCrop: FaceCropRecord;
}

/** One input after the heavy work (read, decode, detect, embed), with the raster already released. */
export type AnalyzedInput =
  | { source: string; member: string | undefined; ok: true; contentHash: string; faces: CandidateFace[]; firstFrameOnly: boolean }
  | { source: string; member: string | undefined; ok: false; error: IdolensError };

/** Near-lossless: the crop is what a change of embedder describes again. */
const FACE_CROP_QUALITY = 92;

export async function analyzeInput(context: CoreContext, item: InputItem): Promise<AnalyzedInput> {
  try {
    const bytes = await item.read();
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const image = await decodeImage(bytes, context.mediaLimits);
    const faces = await (await context.faces()).analyze(image, 'accurate', { crops: true });
    const largest = Math.max(0, ...faces.map((face) => face.box.width));
    const candidates = faces.filter((face) => face.box.width >= largest * ENROLL_QUALITY.backgroundFaceRatio);
    const withImages = await Promise.all(candidates.map(async (face) => candidateOf(image, face)));
    return { source: item.source, member: item.member, ok: true, contentHash, faces: withImages, firstFrameOnly: image.firstFrameOnly };
  } catch (error) {
    if (isIdolensError(error)) return { source: item.source, member: item.member, ok: false, error };
    context.logger.error({ err: error, source: item.source }, 'enroll input failed unexpectedly');
    return { source: item.source, member: item.member, ok: false, error: new IdolensError('internal') };
  }
}

/** A face with the images a sample keeps of it: its thumbnail and its levelled crop. */
export async function candidateOf(image: DecodedImage, { crop, ...face }: FaceObservation & { crop?: FaceCrop }): Promise<CandidateFace> {
  if (!crop) throw new Error('the engine returned a face without its crop');
  return {
    face,
    thumbnailJpeg: await cropThumbnailJpeg(image, face.box),
    faceCrop: { jpeg: await encodeJpeg(Buffer.from(crop.rgb.buffer, crop.rgb.byteOffset, crop.rgb.byteLength), crop.size, crop.size, FACE_CROP_QUALITY), landmarks: crop.landmarks },
  };
}

/** The sample a chosen face becomes (the store adds its id and member). */
export function sampleFromCandidate(
  candidate: CandidateFace,
  origin: { contentHash: string; embedderId: string; provenance: Provenance; flagReason?: string | undefined },
): NewSample {
  const { face } = candidate;
  return {
    embedding: face.descriptor,
    embedderId: origin.embedderId,
    thumbnailJpeg: candidate.thumbnailJpeg,
    faceCrop: candidate.faceCrop,
    contentHash: origin.contentHash,
    box: face.box,
    detectionScore: face.detectionScore,
    sharpness: face.sharpness,
    flagged: origin.flagReason !== undefined,
    ...(origin.flagReason === undefined ? {} : { flagReason: origin.flagReason }),
    provenance: origin.provenance,
  };
}
