import { dot, unit } from '../classifier/geometry.ts';

/** A descriptor in a pack: Float32 values, little-endian whatever the machine, 4 bytes each. */
export function descriptorToBytes(descriptor: Float32Array): Buffer {
  const bytes = Buffer.alloc(descriptor.length * 4);
  descriptor.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes;
}

/** The descriptor, or undefined when the bytes are not `dimensions` finite values of which at least one is not zero. */
export function descriptorFromBytes(bytes: Buffer, dimensions: number): Float32Array | undefined {
  if (bytes.length !== dimensions * 4) return undefined;
  const descriptor = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index += 1) descriptor[index] = bytes.readFloatLE(index * 4);
  const usable = descriptor.every(Number.isFinite) && descriptor.some((value) => value !== 0);
  return usable ? descriptor : undefined;
}

/** Cosine similarity; 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  return dot(unit(a), unit(b));
}
