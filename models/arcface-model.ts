import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The ArcFace-style MobileFaceNet shipped in this repository (models/weights/, MIT, see its README): 112×112 RGB
 * in, 512 values out. Never downloaded: `npm ci` brings it with the code.
 */
export const ARCFACE_MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'weights', 'fr_feature.onnx');
export const ARCFACE_MODEL_SHA256 = '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581';

/** The weights file is missing, unreadable or not the file we ship. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`The face model ${file} ${problem}; it should be the file with sha256 ${ARCFACE_MODEL_SHA256} shipped in models/weights/ (reinstall idolens, or check IDOLENS_ARCFACE_MODEL).`);
    this.file = file;
  }
}

/** Reads the weights and checks them against the sha256 we ship: a damaged file fails here, not on a photo. */
export function readArcfaceModel(file: string = ARCFACE_MODEL_FILE): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (error as Error).message})`);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== ARCFACE_MODEL_SHA256) throw new ModelFileError(file, `is damaged or not the expected file (its sha256 is ${actual})`);
  return bytes;
}
