import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckedModel } from './model-file.ts';

/**
 * The ArcFace-style MobileFaceNet shipped in this repository (models/weights/, MIT, see its README): 112×112 RGB
 * in, 512 values out. Never downloaded: `npm ci` brings it with the code.
 */
export const ARCFACE_MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'weights', 'fr_feature.onnx');
export const ARCFACE_MODEL_SHA256 = '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581';

export function readArcfaceModel(file: string = ARCFACE_MODEL_FILE): Uint8Array {
  return readCheckedModel(file, ARCFACE_MODEL_SHA256, 'reinstall idolens, or check IDOLENS_ARCFACE_MODEL');
}
