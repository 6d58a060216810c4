import { IdolensError } from '../errors.ts';
import { formatMiB } from '../format.ts';

/** `bytes` is the size when known; a stream cut at the cap only knows it went past the limit. */
export function tooLarge(maxBytes: number, bytes?: number): IdolensError {
  const size = bytes === undefined ? `more than ${formatMiB(maxBytes)}` : formatMiB(bytes);
  return new IdolensError('too_large', `This file is too large (${size}; the limit is ${formatMiB(maxBytes)}).`, {
    maxBytes,
    ...(bytes === undefined ? {} : { bytes }),
  });
}
