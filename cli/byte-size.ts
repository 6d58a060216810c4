import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1000 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1000 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** `10485760`, `10MiB`, `50MB`, `8m`: a byte count. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || factor === undefined) throw new InvalidArgumentError('expected a size in bytes, e.g. 10485760, 10MiB or 50MB');
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new InvalidArgumentError('the size must be at least 1 byte');
  return bytes;
}
