import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { IdolensError } from '../errors.ts';
import type { MediaLimits } from '../types.ts';
import { DEFAULT_MEDIA_LIMITS } from './limits.ts';

/** Reads a photo from disk, refusing folders, special files and anything over `limits.maxBytes` before reading it. */
export async function readImageFile(path: string, limits: MediaLimits = DEFAULT_MEDIA_LIMITS): Promise<Uint8Array> {
  const stats = await statOrNotFound(path);
  if (stats.isDirectory()) throw new IdolensError('not_found', 'That is a folder, not a photo file.', { path });
  if (!stats.isFile()) throw new IdolensError('not_found', 'That is not a regular photo file.', { path });
  checkSize(stats.size, limits);
  return readAtMost(path, limits);
}

async function statOrNotFound(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new IdolensError('not_found', 'I am not allowed to read that file.', { path }, { cause: error });
    }
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') {
      throw new IdolensError('not_found', undefined, { path }, { cause: error });
    }
    throw error;
  }
}

function checkSize(bytes: number, limits: MediaLimits): void {
  if (bytes > limits.maxBytes) throw new IdolensError('too_large', undefined, { bytes, maxBytes: limits.maxBytes });
}

const CHUNK_BYTES = 1024 * 1024;

/** Reads in chunks and stops one byte past the limit, so a file that grew after `stat` is still refused. */
async function readAtMost(path: string, limits: MediaLimits): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= limits.maxBytes) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, limits.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    checkSize(total, limits);
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Up to `length` bytes from the start of an open file (fewer when it is shorter), however the reads split. */
export async function readFromStart(handle: FileHandle, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return bytes.subarray(0, filled);
}
