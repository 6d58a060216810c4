export function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    sum += difference * difference;
  }
  return Math.sqrt(sum);
}

export function encodeFloat32(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeFloat32(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

export function quantile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const position = Math.min(sortedAscending.length - 1, Math.max(0, fraction * (sortedAscending.length - 1)));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sortedAscending[low] ?? 0;
  return lowValue + ((sortedAscending[high] ?? lowValue) - lowValue) * (position - low);
}
