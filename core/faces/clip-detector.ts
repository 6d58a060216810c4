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

/** The tile scaled (bilinear) to the model's input, planar RGB, (value − 127) / 128 as the model was trained. */
function tileInput(rgb: Uint8Array, width: number, height: number, tile: Tile, input: Float32Array): Float32Array {
  const stepX = tile.width / INPUT_WIDTH;
  const stepY = tile.height / INPUT_HEIGHT;
  for (let row = 0; row < INPUT_HEIGHT; row += 1) {
    const sourceY = tile.y + (row + 0.5) * stepY - 0.5;
    const inside = sourceY >= -0.5 && sourceY <= height - 0.5;
    const y0 = Math.min(height - 1, Math.max(0, Math.floor(sourceY)));
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = Math.min(1, Math.max(0, sourceY - y0));
    for (let column = 0; column < INPUT_WIDTH; column += 1) {
      const target = row * INPUT_WIDTH + column;
      const sourceX = tile.x + (column + 0.5) * stepX - 0.5;
      if (!inside || sourceX < -0.5 || sourceX > width - 0.5) {
        // Padding outside the raster is black, as the model's own code pads.
        input[target] = input[PLANE + target] = input[2 * PLANE + target] = -127 / 128;
        continue;
      }
      const x0 = Math.min(width - 1, Math.max(0, Math.floor(sourceX)));
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = Math.min(1, Math.max(0, sourceX - x0));
      const a = (y0 * width + x0) * 3;
      const b = (y0 * width + x1) * 3;
      const c = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      for (let channel = 0; channel < 3; channel += 1) {
        const upper = (rgb[a + channel] as number) * (1 - fx) + (rgb[b + channel] as number) * fx;
        const lower = (rgb[c + channel] as number) * (1 - fx) + (rgb[d + channel] as number) * fx;
        input[channel * PLANE + target] = (upper * (1 - fy) + lower * fy - 127) / 128;
      }
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
