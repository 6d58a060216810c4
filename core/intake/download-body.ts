import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdolensError, isIdolensError } from '../errors.ts';
import { tooLarge } from './refusals.ts';
import { redactUrl } from './redact-url.ts';

/** Reads a response body into memory, stopping as soon as it passes `maxBytes`. */
export async function collectBody(response: IncomingMessage, url: URL, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    throw isIdolensError(error) ? error : transferFailed(url, error);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Streams a response body to `destination`, stopping as soon as it passes `maxBytes`. The bytes go to a
 * temporary file beside it, renamed into place once complete, so `destination` never holds half a download.
 * Resolves to the number of bytes written.
 */
export async function writeBodyToFile(response: IncomingMessage, url: URL, maxBytes: number, destination: string): Promise<number> {
  const partial = `${destination}.${randomBytes(6).toString('hex')}.part`;
  // Created before the stream starts, so a failure can never race the file's creation and leave it behind.
  const handle = await open(partial, 'wx', 0o600);
  const counter = byteCap(maxBytes);
  try {
    await pipeline(response, counter.stream, handle.createWriteStream());
    await rename(partial, destination);
    return counter.total();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw isIdolensError(error) ? error : transferFailed(url, error);
  }
}

/** Passes chunks through and fails the stream the moment their total passes `maxBytes`. */
function byteCap(maxBytes: number): { stream: Transform; total: () => number } {
  let total = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      total += chunk.length;
      if (total > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  return { stream, total: () => total };
}

export function transferFailed(url: URL, cause: unknown): IdolensError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new IdolensError('download_failed', 'The download broke off before it finished.', { url: redactUrl(url.href), reason }, {
    cause,
  });
}
