import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tileInput } from '../../core/faces/clip-detector.ts';
import { planTiles, type Tile } from '../../core/faces/detection-tiles.ts';

const INPUT_WIDTH = 320;
const INPUT_HEIGHT = 240;
const PLANE = INPUT_WIDTH * INPUT_HEIGHT;

/** Bilinear sampling written out pixel by pixel (pixel centres aligned, black outside the raster): the oracle. */
function referenceSample(rgb: Uint8Array, width: number, height: number, tile: Tile, row: number, column: number, channel: number): number {
  const sourceY = tile.y + (row + 0.5) * (tile.height / INPUT_HEIGHT) - 0.5;
  const sourceX = tile.x + (column + 0.5) * (tile.width / INPUT_WIDTH) - 0.5;
  if (sourceY < -0.5 || sourceY > height - 0.5 || sourceX < -0.5 || sourceX > width - 0.5) return -127 / 128;
  const clampY = (value: number): number => Math.min(height - 1, Math.max(0, value));
  const clampX = (value: number): number => Math.min(width - 1, Math.max(0, value));
  const y0 = clampY(Math.floor(sourceY));
  const x0 = clampX(Math.floor(sourceX));
  const y1 = clampY(y0 + 1);
  const x1 = clampX(x0 + 1);
  const fy = Math.min(1, Math.max(0, sourceY - y0));
  const fx = Math.min(1, Math.max(0, sourceX - x0));
  const at = (y: number, x: number): number => rgb[(y * width + x) * 3 + channel] ?? Number.NaN;
  const value = (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
  return (value - 127) / 128;
}

function noise(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let index = 0; index < rgb.length; index += 1) rgb[index] = (Math.imul(index + 1, 2654435761) >>> 24) & 0xff;
  return rgb;
}

describe('clip detector input', () => {
  it('scales every tile of a landscape and a portrait frame (windows, the padded whole frame, a tile over the edge) as a bilinear sampler does', () => {
    for (const [width, height] of [[960, 540], [540, 960]] as const) {
      const rgb = noise(width, height);
      const overTheEdge: Tile = { x: -50.3, y: -20.7, width: 400.1, height: 300.2, inner: { left: false, top: false, right: false, bottom: false } };
      const tiles = [...planTiles(width, height, INPUT_WIDTH / INPUT_HEIGHT, (2 / 3) * Math.min(width, height)), overTheEdge];
      const input = new Float32Array(3 * PLANE);
      for (const tile of tiles) {
        tileInput(rgb, width, height, tile, input);
        for (let row = 0; row < INPUT_HEIGHT; row += 3) {
          for (let column = 0; column < INPUT_WIDTH; column += 3) {
            for (let channel = 0; channel < 3; channel += 1) {
              const expected = Math.fround(referenceSample(rgb, width, height, tile, row, column, channel));
              assert.equal(input[channel * PLANE + row * INPUT_WIDTH + column], expected, `${width}×${height} tile at ${tile.x},${tile.y}: row ${row} column ${column} channel ${channel}`);
            }
          }
        }
      }
    }
  });

  it('pads with black where the tile reaches past the frame, and keeps a flat grey flat', () => {
    const width = 64;
    const height = 48;
    const grey = new Uint8Array(width * height * 3).fill(200);
    const input = tileInput(grey, width, height, { x: 0, y: -24, width: 64, height: 96, inner: { left: false, top: false, right: false, bottom: false } }, new Float32Array(3 * PLANE));
    const top = input[0];
    const middle = input[(INPUT_HEIGHT / 2) * INPUT_WIDTH + INPUT_WIDTH / 2];
    assert.equal(top, Math.fround(-127 / 128));
    assert.equal(middle, Math.fround((200 - 127) / 128));
  });
});
