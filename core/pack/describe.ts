/**
 * A pack's descriptors are checked against its crops, or made again from them. With the embedder in use, every crop
 * is described again and must match the descriptor the pack carries (the stored descriptor comes from the original
 * photo, the crop's from the levelled crop: they differ a little, never as much as two photos of one person do).
 * With another embedder, the crops are described afresh and the pack's descriptors are not used.
 */
import { mapConcurrent } from '../concurrency.ts';
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import { decodeFaceCrop } from '../faces/decode-crop.ts';
import type { FaceCrop } from '../faces/face-crop.ts';
import type { EmbedderInfo } from '../types.ts';
import { cosine } from './descriptor-bytes.ts';
import { packInvalid } from './pack-zip.ts';
import type { CheckedPack, CheckedSample } from './validate.ts';

/**
 * The least cosine between a pack's descriptor and its crop described again, per embedder. A sample's descriptor was
 * made from the original photo and the crop is a levelled JPEG of it, so they are close but not equal. Measured on
 * 160 BLACKPINK photos (40 per member): honest pairs at ArcFace 0.938 and more (median 0.982), dlib 0.9951 and more;
 * another member's descriptor against a crop at most ArcFace 0.53, dlib 0.974; another photo of the same member at
 * most 0.91 and 0.994 (near-copies). The same crop described twice gives exactly 1.
 */
export const PACK_MATCH_MIN_COSINE: Readonly<Record<EmbedderInfo['name'], number>> = { arcface: 0.9, dlib: 0.99 };

export interface PackProgress {
  done: number;
  total: number;
}

/** Crops decoded and described this many at a time: one worker message each, and bounded memory. */
const BATCH = 16;

/** Each sample's descriptor for the embedder in use, in the pack's order (members, then samples). */
export async function describePack(context: CoreContext, pack: CheckedPack, onProgress?: (progress: PackProgress) => void): Promise<Float32Array[]> {
  const samples = pack.members.flatMap((member) => member.samples);
  const sameEmbedder = pack.manifest.embedder.id === context.embedder.id;
  const engine = await context.faces();
  const batches = Array.from({ length: Math.ceil(samples.length / BATCH) }, (_, index) => samples.slice(index * BATCH, (index + 1) * BATCH));
  let done = 0;
  const described = await mapConcurrent(batches, engine.size, async (batch) => {
    const fresh = await engine.embedCrops(await Promise.all(batch.map(decodeCrop)));
    if (fresh.length !== batch.length) throw new Error('the engine described fewer crops than it was given');
    done += batch.length;
    onProgress?.({ done, total: samples.length });
    return batch.map((sample, index) => {
      const descriptor = fresh[index] as Float32Array;
      if (sameEmbedder) checkMatch(context.embedder, sample, descriptor);
      return sameEmbedder ? sample.descriptor : descriptor;
    });
  });
  return described.flat();
}

function checkMatch(embedder: EmbedderInfo, sample: CheckedSample, fresh: Float32Array): void {
  const similarity = cosine(sample.descriptor, fresh);
  const least = PACK_MATCH_MIN_COSINE[embedder.name];
  if (similarity >= least) return;
  throw new IdolensError(
    'pack_mismatch',
    `This pack was refused, nothing was imported: the descriptor of ${sample.label} does not match its face picture (similarity ${similarity.toFixed(3)}, at least ${least} expected).`,
    { sample: sample.label, similarity: Number(similarity.toFixed(4)) },
  );
}

async function decodeCrop(sample: CheckedSample): Promise<FaceCrop> {
  const crop = await decodeFaceCrop(sample.cropBytes, sample.sample.landmarks.map(([x, y]) => ({ x, y })), sample.cropSide);
  if (crop === undefined || crop.size !== sample.cropSide) throw packInvalid(`the face picture of ${sample.label} is damaged.`, { reason: 'crop_format' });
  return crop;
}
