/** A kept face crop read back for describing again (a change of embedder, a pack): outside the workers, which never decode files. */
import sharp from 'sharp';
import { FACE_CROP_SIZE, type FaceCrop } from './face-crop.ts';
import type { Point } from '../types.ts';

/**
 * A kept crop's image (JPEG or PNG) back as packed sRGB with its landmarks; undefined when it is not a square colour
 * picture, or not one at all. `maxSide` caps what is decoded.
 */
export async function decodeFaceCrop(image: Buffer, landmarks: Point[], maxSide = 4 * FACE_CROP_SIZE): Promise<FaceCrop | undefined> {
  try {
    const { data, info } = await sharp(image, { limitInputPixels: maxSide * maxSide }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.width !== info.height || info.channels !== 3) return undefined;
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), size: info.width, landmarks };
  } catch {
    return undefined;
  }
}
