import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdolensError } from '../../core/errors.ts';
import { DEFAULT_VIDEO_LIMITS } from '../../core/video/input/limits.ts';
import { assertDuration } from '../../core/video/input/probe-limits.ts';

describe('clip length limit', () => {
  it('lets a clip cut to exactly the limit through, though its container says a few hundredths more', () => {
    assert.doesNotThrow(() => assertDuration(300.043, DEFAULT_VIDEO_LIMITS));
  });

  it('refuses a longer clip with two lengths that differ in the message', () => {
    assert.throws(() => assertDuration(300.6, DEFAULT_VIDEO_LIMITS), (error: unknown) => isIdolensError(error)
      && error.code === 'video_too_long' && error.message === 'This clip is 5 min 1 s long; the limit is 5 min.');
  });
});
