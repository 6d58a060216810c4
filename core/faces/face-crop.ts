import type { Point } from '../types.ts';
import { chipGeometry, CHIP_SIZE, extractChip, toCropPixels, type ChipGeometry } from './align.ts';

/**
 * What a sample keeps so that any embedder can describe the face again without the original photo: the face
 * levelled, with room around it, and its 68 landmarks in the crop's own pixels.
 */
export interface FaceCrop {
  /** Packed RGB, `size`×`size`×3. */
  rgb: Uint8Array;
  size: number;
  landmarks: Point[];
}

export const FACE_CROP_SIZE = 256;
/**
 * The crop spans this many times the levelled dlib chip's side: both the dlib chip and the ArcFace 5-point chip
 * (which reaches further below the mouth) fit inside with room for head turns, at about their own resolution.
 */
const CROP_SPAN = 1.6;

export function faceCropGeometry(landmarks: readonly Point[]): ChipGeometry {
  const chip = chipGeometry(landmarks);
  return { ...chip, pixelSize: (chip.pixelSize * CHIP_SIZE * CROP_SPAN) / FACE_CROP_SIZE };
}

export function cutFaceCrop(rgb: Uint8Array, width: number, height: number, landmarks: readonly Point[]): FaceCrop {
  const geometry = faceCropGeometry(landmarks);
  const samples = extractChip(rgb, width, height, geometry, FACE_CROP_SIZE);
  const bytes = new Uint8Array(samples.length);
  for (let index = 0; index < samples.length; index += 1) bytes[index] = Math.round(samples[index] ?? 0);
  return { rgb: bytes, size: FACE_CROP_SIZE, landmarks: landmarks.map((point) => toCropPixels(point, geometry, FACE_CROP_SIZE)) };
}
