/** The inference pool starts small and grows only when work waits: one-shot runs do not pay for idle workers. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'node:test';
import type { FrameRequest } from '../../core/faces/analyze-frame.ts';
import { FaceEngine } from '../../core/faces/engine.ts';
import { createLogger } from '../../core/logger.ts';

function blankFrame(): FrameRequest {
  return { rgb: new Uint8Array(96 * 64 * 3).fill(90), width: 96, height: 64, scale: 1, smallFaceWindow: null, describe: false, minDescribeSide: 28 };
}

test('the engine starts one worker, adds the second when frames queue up, and hands every raster back', async () => {
  const engine = await FaceEngine.start({ workers: 2, logger: createLogger('warn') });
  try {
    assert.equal(engine.size, 2);
    assert.equal(engine.readyWorkers, 1, 'one worker at start');
    const one = await engine.analyzeFrame(blankFrame());
    assert.equal(engine.readyWorkers, 1, 'one frame at a time needs no second worker');
    assert.equal(one.rgb.byteLength, 96 * 64 * 3, 'the raster comes back for reuse');
    const results = await Promise.all(Array.from({ length: 6 }, () => engine.analyzeFrame(blankFrame())));
    assert.deepEqual(results.map((result) => result.faces.length), [0, 0, 0, 0, 0, 0]);
    for (let waited = 0; engine.readyWorkers < 2 && waited < 20_000; waited += 100) await sleep(100);
    assert.equal(engine.readyWorkers, 2, 'a second worker once frames waited');
  } finally {
    await engine.close();
  }
});
