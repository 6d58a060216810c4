import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEncode } from '../../core/video/render/encode-plan.ts';
import { isIdolensError } from '../../core/errors.ts';
import type { VideoProbe } from '../../core/video/types.ts';
import { parseByteSize } from '../../cli/byte-size.ts';

function probe(overrides: { seconds?: number; width?: number; height?: number; audio?: VideoProbe['audio'] } = {}): VideoProbe {
  const width = overrides.width ?? 1920;
  const height = overrides.height ?? 1080;
  return {
    container: 'mp4', formatName: 'mov,mp4,m4a,3gp,3g2,mj2', bytes: 50_000_000, durationSeconds: overrides.seconds ?? 30, streams: 2,
    video: { streamIndex: 0, codec: 'h264', width, height, displayWidth: width, displayHeight: height, rotation: 0, frameRate: 30, variableFrameRate: false, frames: 900, pixelFormat: 'yuv420p' },
    audio: overrides.audio === undefined ? { codec: 'aac', channels: 2, sampleRate: 48000, bitRate: 128_000 } : overrides.audio,
  };
}

describe('encode plan', () => {
  it('keeps size and audio without a budget', () => {
    const plan = planEncode(probe(), undefined);
    assert.deepEqual([plan.width, plan.height, plan.maxBitsPerSecond, plan.audio.mode, plan.notes.length], [1920, 1080, undefined, 'copy', 0]);
  });

  it('caps the rate so video, audio and the rate buffer fit the budget', () => {
    const maxBytes = 10 * 1024 * 1024;
    const plan = planEncode(probe(), maxBytes);
    assert.equal(plan.audio.mode, 'copy');
    const worstCase = ((plan.maxBitsPerSecond ?? 0) * 31 + 128_000 * 30) / 8;
    assert.ok(worstCase <= maxBytes, `worst case ${worstCase} over ${maxBytes}`);
    assert.ok(worstCase > maxBytes * 0.8, 'uses most of the budget');
  });

  it('downscales when the budget is too thin for the resolution, and says so', () => {
    const plan = planEncode(probe({ seconds: 180 }), 10 * 1024 * 1024);
    assert.ok(plan.height < 1080 && plan.height % 2 === 0 && plan.width % 2 === 0);
    assert.ok(Math.abs(plan.width / plan.height - 16 / 9) < 0.02);
    assert.ok(plan.notes.some((note) => note.includes('downscaled')));
  });

  it('caps the shorter side at the server\'s output size, never upscales, and says so', () => {
    const capped = planEncode(probe(), undefined, 720);
    assert.deepEqual([capped.width, capped.height], [1280, 720]);
    assert.ok(capped.notes.some((note) => note.includes('output size')));
    const portrait = planEncode(probe({ width: 1080, height: 1920 }), 40 * 1024 * 1024, 480);
    assert.deepEqual([portrait.width, portrait.height], [480, 854]);
    const small = planEncode(probe({ width: 640, height: 360 }), undefined, 1080);
    assert.deepEqual([small.width, small.height, small.notes.length], [640, 360, 0]);
  });

  it('re-encodes audio that MP4 players cannot play inline', () => {
    const plan = planEncode(probe({ audio: { codec: 'opus', channels: 2, sampleRate: 48000, bitRate: 96_000 } }), undefined);
    assert.equal(plan.audio.mode, 'aac');
  });

  it('refuses a budget that cannot hold the clip at all, before any encoding', () => {
    assert.throws(() => planEncode(probe({ seconds: 300 }), 100_000), (error: unknown) => isIdolensError(error) && error.code === 'output_too_large' && /at least/.test(error.message));
  });

  it('keeps a silent clip silent', () => {
    assert.equal(planEncode(probe({ audio: null }), 5_000_000).audio.mode, 'none');
  });
});

describe('byte sizes on the command line', () => {
  it('reads plain numbers and units', () => {
    assert.equal(parseByteSize('10485760'), 10 * 1024 * 1024);
    assert.equal(parseByteSize('10MiB'), 10 * 1024 * 1024);
    assert.equal(parseByteSize('50MB'), 50_000_000);
    assert.throws(() => parseByteSize('ten'));
    assert.throws(() => parseByteSize('0'));
  });
});
