import { open, stat } from 'node:fs/promises';
import { IdolensError } from '../errors.ts';
import { readFromStart } from '../media/read-file.ts';
import { startsWith } from '../media/sniff.ts';
import { tooLarge } from './refusals.ts';

/** The first bytes of a zip archive's first entry. */
export const ZIP_MAGIC: readonly number[] = [0x50, 0x4b, 0x03, 0x04];

/** Reads a whole regular file, refusing it before reading when it is over `maxBytes`. */
export async function readLocalFile(filePath: string, maxBytes: number): Promise<Uint8Array> {
  await assertRegularFile(filePath);
  const handle = await open(filePath, 'r').catch((error: unknown) => {
    throw fileAccessError(error);
  });
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(maxBytes, size);
    return await readFromStart(handle, size);
  } finally {
    await handle.close();
  }
}

/** True when the file starts like a zip archive, whatever its name says. */
export async function looksLikeZip(filePath: string): Promise<boolean> {
  const handle = await open(filePath, 'r').catch((error: unknown) => {
    throw fileAccessError(error);
  });
  try {
    return startsWith(await readFromStart(handle, ZIP_MAGIC.length), ZIP_MAGIC);
  } finally {
    await handle.close();
  }
}

async function assertRegularFile(filePath: string): Promise<void> {
  const info = await stat(filePath).catch((error: unknown) => {
    throw fileAccessError(error);
  });
  if (!info.isFile()) throw new IdolensError('not_found', 'This is not a file I can read.');
}

export function fileAccessError(error: unknown): IdolensError {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    return new IdolensError('not_found', 'I am not allowed to open this file.', { reason: code }, { cause: error });
  }
  return new IdolensError('not_found', undefined, code === undefined ? {} : { reason: code }, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
