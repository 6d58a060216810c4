/**
 * The corrected face, and only it, from the picture fetched again: the same detector finds the same faces, and the
 * one whose box is the answer's is kept as a sample would be (its crop and descriptor); the picture is dropped.
 */
import { createHash } from 'node:crypto';
import { iou } from '../box.ts';
import type { CoreContext } from '../context.ts';
import { candidateOf, sampleFromCandidate } from '../dataset/analyze-input.ts';
import { IdolensError } from '../errors.ts';
import { decodeImage } from '../media/index.ts';
import type { NewSample, Provenance } from '../store/index.ts';
import type { Box } from '../types.ts';

/** The found face must cover the answer's box this well (intersection over union). */
const SAME_FACE_IOU = 0.5;

export async function faceSampleAt(context: CoreContext, bytes: Uint8Array, box: Box, provenance: Provenance): Promise<NewSample> {
  const image = await decodeImage(bytes, context.mediaLimits);
  const faces = await (await context.faces()).analyze(image, 'accurate', { crops: true });
  const best = faces.map((face) => ({ face, overlap: iou(face.box, box) })).sort((a, b) => b.overlap - a.overlap)[0];
  if (best === undefined || best.overlap < SAME_FACE_IOU) throw new IdolensError('picture_gone', 'The picture I fetched again does not have that face any more, so I cannot learn from this correction.');
  const candidate = await candidateOf(image, best.face);
  const contentHash = createHash('sha256').update(candidate.faceCrop.jpeg).digest('hex');
  return sampleFromCandidate(candidate, { contentHash, embedderId: context.embedder.id, provenance });
}
