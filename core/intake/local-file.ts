import { open, stat } from 'node:fs/promises';
import { IdolensError } from '../errors.ts';
import { tooLarge } from './refusals.ts';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads a whole regular file, refusing it before reading when it is over `maxBytes`. */
export async function readLocalFile(filePath: string, maxBytes: number): Promise<Uint8Array> {
  await assertRegularFile(filePath);
  const handle = await open(filePath, 'r').catch((error: unknown) => {
    throw fileAccessError(error);
  });
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(maxBytes, size);
    const bytes = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
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
    const head = Buffer.alloc(ZIP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(ZIP_MAGIC);
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
