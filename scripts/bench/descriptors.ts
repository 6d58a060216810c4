import { readFile } from 'node:fs/promises';
import { mapConcurrent } from '../../core/concurrency.ts';
import type { CoreContext } from '../../core/context.ts';
import { isIdolensError, type ErrorCode } from '../../core/errors.ts';
import { decodeImage } from '../../core/media/index.ts';
import type { FaceObservation } from '../../core/types.ts';
import { progress } from './bench-runtime.ts';

/** What the real engine saw in one photo; `failure` when the photo could not even be decoded. */
export interface PhotoFaces {
  faces: FaceObservation[];
  failure?: ErrorCode;
}

export type DescriptorCache = ReadonlyMap<string, PhotoFaces>;

async function analyzePhoto(context: CoreContext, photo: string): Promise<PhotoFaces> {
  try {
    const image = await decodeImage(await readFile(photo), context.mediaLimits);
    return { faces: await (await context.faces()).analyze(image, 'accurate') };
  } catch (error) {
    if (isIdolensError(error)) return { faces: [], failure: error.code };
    throw error;
  }
}

/** Decodes and analyses every photo once (decodeImage + engine.analyze 'accurate'), for reuse by every split. */
export async function computeDescriptors(context: CoreContext, photos: readonly string[]): Promise<DescriptorCache> {
  const unique = [...new Set(photos)];
  const engine = await context.faces();
  let done = 0;
  const results = await mapConcurrent(unique, engine.size * 2, async (photo) => {
    const faces = await analyzePhoto(context, photo);
    done += 1;
    if (done % 50 === 0 || done === unique.length) progress(`analysed ${done}/${unique.length} photos`);
    return [photo, faces] as const;
  });
  return new Map(results);
}

function area(face: FaceObservation): number {
  return face.box.width * face.box.height;
}

/** The main face of a labelled photo: the largest one. */
export function largestFace(entry: PhotoFaces | undefined): FaceObservation | undefined {
  let best: FaceObservation | undefined;
  for (const face of entry?.faces ?? []) if (!best || area(face) > area(best)) best = face;
  return best;
}

export function facesOf(cache: DescriptorCache, photo: string): PhotoFaces {
  const entry = cache.get(photo);
  if (!entry) throw new Error(`no descriptors computed for ${photo}`);
  return entry;
}
