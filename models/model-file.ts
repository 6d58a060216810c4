import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A weights file is missing, unreadable or not the file we ship. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  readonly file: string;

  constructor(file: string, problem: string, expectedSha256: string, remedy: string) {
    super(`The face model ${file} ${problem}; it should be the file with sha256 ${expectedSha256} shipped in models/weights/ (${remedy}).`);
    this.file = file;
  }
}

/** Reads a weights file and checks it against the sha256 we ship: a damaged file fails here, not on a photo. */
export function readCheckedModel(file: string, expectedSha256: string, remedy: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (error as Error).message})`, expectedSha256, remedy);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expectedSha256) throw new ModelFileError(file, `is damaged or not the expected file (its sha256 is ${actual})`, expectedSha256, remedy);
  return bytes;
}
