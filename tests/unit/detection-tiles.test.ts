import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cutByTileEdge, mergeDetections, planTiles } from '../../core/faces/detection-tiles.ts';
import { CLIP_DETECTOR_MODEL_FILE, CLIP_DETECTOR_MODEL_SHA256, readClipDetectorModel } from '../../models/clip-detector-model.ts';
import { ModelFileError } from '../../models/model-file.ts';

const ASPECT = 4 / 3;

describe('clip detector tiles', () => {
  it('looks at the whole frame first, padded to the detector aspect, and only there when no window is asked for', () => {
    const [whole, ...rest] = planTiles(960, 540, ASPECT);
    assert.deepEqual(rest, []);
    assert.equal(whole?.width, 960);
    assert.equal(whole?.height, 720);
    assert.equal(whole?.y, -90);
  });

  it('covers every pixel of a landscape and a portrait raster with windows that overlap their neighbours by a quarter', () => {
    for (const [width, height] of [[960, 540], [540, 960]] as const) {
      const windowHeight = (2 / 3) * Math.min(width, height);
      const windows = planTiles(width, height, ASPECT, windowHeight).slice(1);
      assert.ok(windows.length >= 4, `${width}×${height}: ${windows.length} windows`);
      for (let y = 0; y < height; y += 7) {
        for (let x = 0; x < width; x += 7) {
          assert.ok(windows.some((tile) => x >= tile.x && x <= tile.x + tile.width && y >= tile.y && y <= tile.y + tile.height), `${x},${y} uncovered`);
        }
      }
      for (const tile of windows) {
        assert.ok(tile.x >= 0 && tile.y >= 0 && tile.x + tile.width <= width + 1e-9 && tile.y + tile.height <= height + 1e-9);
        const neighbour = windows.find((other) => other !== tile && other.y === tile.y && other.x > tile.x);
        if (neighbour) assert.ok(tile.x + tile.width - neighbour.x >= tile.width * 0.25 - 1e-6);
      }
    }
  });

  it('drops a face cut by a window edge inside the frame, never one at the frame border', () => {
    const windows = planTiles(960, 540, ASPECT, 360).slice(1);
    const topLeft = windows[0];
    assert.ok(topLeft);
    assert.equal(cutByTileEdge(topLeft, { x: topLeft.width - 20, y: 100, width: 30, height: 30 }), true);
    assert.equal(cutByTileEdge(topLeft, { x: 0, y: 0, width: 30, height: 30 }), false);
    assert.equal(cutByTileEdge(topLeft, { x: 100, y: 100, width: 30, height: 30 }), false);
  });

  it('keeps one detection per face: the most confident of those that overlap or lie one inside the other', () => {
    const merged = mergeDetections([
      { box: { x: 100, y: 100, width: 50, height: 50 }, score: 0.8 },
      { box: { x: 104, y: 102, width: 50, height: 52 }, score: 0.95 },
      { box: { x: 110, y: 110, width: 25, height: 25 }, score: 0.99 },
      { box: { x: 300, y: 100, width: 50, height: 50 }, score: 0.75 },
    ]);
    assert.deepEqual(merged.map((detection) => detection.score), [0.99, 0.75]);
  });
});

describe('clip detector weights', () => {
  it('are the shipped file, and a damaged copy is refused with its path and the expected checksum', async () => {
    assert.equal(readClipDetectorModel().byteLength, 1_217_758);
    const folder = await mkdtemp(path.join(tmpdir(), 'idolens-weights-'));
    try {
      const damaged = path.join(folder, 'fr_detect.onnx');
      await writeFile(damaged, (await readFile(CLIP_DETECTOR_MODEL_FILE)).subarray(0, 1000));
      assert.throws(() => readClipDetectorModel(damaged), (error: unknown) => error instanceof ModelFileError && error.message.includes(damaged) && error.message.includes(CLIP_DETECTOR_MODEL_SHA256));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
