import { readClipDetectorModel } from '../../models/clip-detector-model.ts';
import type { OnnxRuntimeChoice } from '../../models/onnx-runtime.ts';
import { cutByTileEdge, mergeDetections, planTiles, type Tile, type TileDetection } from './detection-tiles.ts';

/** The model's fixed input. */
const INPUT_WIDTH = 320;
const INPUT_HEIGHT = 240;
const PLANE = INPUT_WIDTH * INPUT_HEIGHT;
/**
 * Measured on the shared crowd clip and the benchmark clip against face-api's SSD: 0.7 keeps the false alarms to
 * about one per ten frames; 0.6 found 1% more faces with twice the false alarms.
 */
const SCORE_THRESHOLD = 0.7;

export interface ClipDetector {
  /**
   * Faces in a packed RGB raster, in raster pixels: the whole raster always, and overlapping windows
   * `windowHeight` tall when given (smaller windows find smaller faces, at more runs of the model).
   */
  detect(rgb: Uint8Array, width: number, height: number, windowHeight?: number): Promise<TileDetection[]>;
}

/** Where each output column (or row) reads from: the two neighbouring source pixels, the weight of the second. */
interface Taps {
  near: Int32Array;
  far: Int32Array;
  weight: Float64Array;
  inside: Uint8Array;
}

/** Bilinear taps for `count` outputs spread over `length` source pixels from `origin` in a raster `size` long. */
function bilinearTaps(origin: number, length: number, count: number, size: number): Taps {
  const taps: Taps = { near: new Int32Array(count), far: new Int32Array(count), weight: new Float64Array(count), inside: new Uint8Array(count) };
  const step = length / count;
  for (let index = 0; index < count; index += 1) {
    const source = origin + (index + 0.5) * step - 0.5;
    const near = Math.min(size - 1, Math.max(0, Math.floor(source)));
    taps.near[index] = near;
    taps.far[index] = Math.min(size - 1, near + 1);
    taps.weight[index] = Math.min(1, Math.max(0, source - near));
    taps.inside[index] = source >= -0.5 && source <= size - 0.5 ? 1 : 0;
  }
  return taps;
}

/** Padding outside the raster is black, as the model's own code pads. */
const PAD_VALUE = -127 / 128;

/**
 * The tile scaled (bilinear) to the model's input, planar RGB, (value − 127) / 128 as the model was trained. The
 * source positions and weights are worked out once per column and row, not once per pixel.
 */
export function tileInput(rgb: Uint8Array, width: number, height: number, tile: Tile, input: Float32Array): Float32Array {
  const columns = bilinearTaps(tile.x, tile.width, INPUT_WIDTH, width);
  const rows = bilinearTaps(tile.y, tile.height, INPUT_HEIGHT, height);
  for (let row = 0; row < INPUT_HEIGHT; row += 1) {
    const rowStart = row * INPUT_WIDTH;
    if (rows.inside[row] === 0) {
      input.fill(PAD_VALUE, rowStart, rowStart + INPUT_WIDTH);
      input.fill(PAD_VALUE, PLANE + rowStart, PLANE + rowStart + INPUT_WIDTH);
      input.fill(PAD_VALUE, 2 * PLANE + rowStart, 2 * PLANE + rowStart + INPUT_WIDTH);
      continue;
    }
    const upperRow = (rows.near[row] as number) * width * 3;
    const lowerRow = (rows.far[row] as number) * width * 3;
    const fy = rows.weight[row] as number;
    const gy = 1 - fy;
    for (let column = 0; column < INPUT_WIDTH; column += 1) {
      const target = rowStart + column;
      if (columns.inside[column] === 0) {
        input[target] = input[PLANE + target] = input[2 * PLANE + target] = PAD_VALUE;
        continue;
      }
      const a = upperRow + (columns.near[column] as number) * 3;
      const b = upperRow + (columns.far[column] as number) * 3;
      const c = lowerRow + (columns.near[column] as number) * 3;
      const d = lowerRow + (columns.far[column] as number) * 3;
      const fx = columns.weight[column] as number;
      const gx = 1 - fx;
      // The three channels written out: a loop over them cost a fifth more on this, the detector's hottest path.
      input[target] = (((rgb[a] as number) * gx + (rgb[b] as number) * fx) * gy + ((rgb[c] as number) * gx + (rgb[d] as number) * fx) * fy - 127) / 128;
      input[PLANE + target] = (((rgb[a + 1] as number) * gx + (rgb[b + 1] as number) * fx) * gy + ((rgb[c + 1] as number) * gx + (rgb[d + 1] as number) * fx) * fy - 127) / 128;
      input[2 * PLANE + target] = (((rgb[a + 2] as number) * gx + (rgb[b + 2] as number) * fx) * gy + ((rgb[c + 2] as number) * gx + (rgb[d + 2] as number) * fx) * fy - 127) / 128;
    }
  }
  return input;
}

/** The anchors scoring at least the threshold, their corner boxes (0–1 of the input) mapped back onto the raster. */
function tileDetections(scores: Float32Array, boxes: Float32Array, tile: Tile): TileDetection[] {
  const found: TileDetection[] = [];
  for (let anchor = 0; anchor < scores.length / 2; anchor += 1) {
    const score = scores[anchor * 2 + 1] as number;
    if (score < SCORE_THRESHOLD) continue;
    const left = tile.x + (boxes[anchor * 4] as number) * tile.width;
    const top = tile.y + (boxes[anchor * 4 + 1] as number) * tile.height;
    const right = tile.x + (boxes[anchor * 4 + 2] as number) * tile.width;
    const bottom = tile.y + (boxes[anchor * 4 + 3] as number) * tile.height;
    const box = { x: left, y: top, width: right - left, height: bottom - top };
    if (box.width > 0 && box.height > 0 && !cutByTileEdge(tile, box)) found.push({ box, score });
  }
  return found;
}

/** Keeps a box inside the raster. */
function clampToRaster(detection: TileDetection, width: number, height: number): TileDetection {
  const { box } = detection;
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  return { ...detection, box: { x, y, width: Math.min(width, box.x + box.width) - x, height: Math.min(height, box.y + box.height) - y } };
}

/**
 * The clips' face detector (models/weights/fr_detect.onnx, see its README): about 5 ms a run on one thread, and
 * it finds faces down to about 10 of its input's pixels, so a few overlapping windows reach the small faces of a
 * wide stage shot that face-api's detectors either miss (tiny) or take 250 ms a frame to find (SSD).
 */
export async function loadClipDetector(runtime: OnnxRuntimeChoice): Promise<ClipDetector> {
  const { ort } = runtime;
  const session = await ort.InferenceSession.create(readClipDetectorModel(), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const input = new Float32Array(3 * PLANE);
  const runTile = async (rgb: Uint8Array, width: number, height: number, tile: Tile): Promise<TileDetection[]> => {
    const tensor = new ort.Tensor('float32', tileInput(rgb, width, height, tile, input), [1, 3, INPUT_HEIGHT, INPUT_WIDTH]);
    const outputs = await session.run({ input: tensor });
    const { scores, boxes } = outputs;
    try {
      if (!(scores?.data instanceof Float32Array) || !(boxes?.data instanceof Float32Array)) throw new Error('the clip face detector gave no scores or boxes');
      return tileDetections(scores.data, boxes.data, tile);
    } finally {
      tensor.dispose();
      scores?.dispose();
      boxes?.dispose();
    }
  };
  return {
    async detect(rgb, width, height, windowHeight) {
      const found: TileDetection[] = [];
      for (const tile of planTiles(width, height, INPUT_WIDTH / INPUT_HEIGHT, windowHeight)) found.push(...(await runTile(rgb, width, height, tile)));
      return mergeDetections(found).map((detection) => clampToRaster(detection, width, height));
    },
  };
}
