/** A packed RGB raster scaled (bilinear) into the top-left of a black square, as the fast detector takes it. */
export interface Letterboxed {
  /** side × side × 3, values 0–255; shared with the next call for the same side (copy it into a tensor at once). */
  pixels: Float32Array;
  side: number;
  /** Raster pixels per square pixel: multiply the detector's coordinates by this. */
  rasterPixelsPerPixel: number;
}

/** Per output column (or row): the two source positions it blends and the weight of the second. */
function taps(outputLength: number, sourceLength: number, step: number): { first: Int32Array; second: Int32Array; weight: Float32Array } {
  const first = new Int32Array(outputLength);
  const second = new Int32Array(outputLength);
  const weight = new Float32Array(outputLength);
  for (let index = 0; index < outputLength; index += 1) {
    const position = Math.min(sourceLength - 1, Math.max(0, (index + 0.5) * step - 0.5));
    const low = Math.floor(position);
    first[index] = low;
    second[index] = Math.min(sourceLength - 1, low + 1);
    weight[index] = position - low;
  }
  return { first, second, weight };
}

/**
 * One buffer per side, reused: the tensor made from it copies the values, and a fresh 2–4 MB array per detection
 * costs page faults and garbage collection on every frame of a clip.
 */
const buffers = new Map<number, Float32Array>();

function squareBuffer(side: number): Float32Array {
  const existing = buffers.get(side);
  if (existing) return existing.fill(0);
  const created = new Float32Array(side * side * 3);
  buffers.set(side, created);
  return created;
}

/**
 * The raster scaled to fit a `side` square, black below and right of it (face-api pads the same way before its
 * own resize, but through tfjs JavaScript kernels that cost more than the detector on every frame).
 */
export function letterbox(rgb: Uint8Array, width: number, height: number, side: number): Letterboxed {
  const step = Math.max(width, height) / side;
  const outWidth = Math.min(side, Math.round(width / step));
  const outHeight = Math.min(side, Math.round(height / step));
  const pixels = squareBuffer(side);
  const columns = taps(outWidth, width, step);
  const rows = taps(outHeight, height, step);
  for (let y = 0; y < outHeight; y += 1) {
    const top = (rows.first[y] as number) * width * 3;
    const bottom = (rows.second[y] as number) * width * 3;
    const fy = rows.weight[y] as number;
    let target = y * side * 3;
    for (let x = 0; x < outWidth; x += 1) {
      const left = (columns.first[x] as number) * 3;
      const right = (columns.second[x] as number) * 3;
      const fx = columns.weight[x] as number;
      for (let channel = 0; channel < 3; channel += 1) {
        const upper = (rgb[top + left + channel] as number) * (1 - fx) + (rgb[top + right + channel] as number) * fx;
        const lower = (rgb[bottom + left + channel] as number) * (1 - fx) + (rgb[bottom + right + channel] as number) * fx;
        pixels[target + channel] = upper * (1 - fy) + lower * fy;
      }
      target += 3;
    }
  }
  return { pixels, side, rasterPixelsPerPixel: step };
}
