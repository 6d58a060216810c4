/** Centring and normalising descriptors: the group's mean is what its members share, not what sets them apart. */
export function meanVector(vectors: readonly Float32Array[], dimensions: number): Float32Array {
  const mean = new Float32Array(dimensions);
  for (const vector of vectors) {
    for (let index = 0; index < dimensions; index += 1) mean[index] = (mean[index] ?? 0) + (vector[index] ?? 0) / vectors.length;
  }
  return mean;
}

export function unit(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum) || 1;
  return vector.map((value) => value / length);
}

export function centredUnit(vector: Float32Array, center: Float32Array): Float32Array {
  return unit(vector.map((value, index) => value - (center[index] ?? 0)));
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index] ?? 0) * (b[index] ?? 0);
  return sum;
}

/** Unit mean direction of unit vectors. */
export function centroid(vectors: readonly Float32Array[], dimensions: number): Float32Array {
  return unit(meanVector(vectors, dimensions));
}
