import { IdolensError } from '../../errors.ts';
import { FramePairer, FramePool, parseShowinfoLine, readFixedFrames, type AnalysisFrame } from './frame-reader.ts';
import { runTool, stderrExcerpt } from '../ffmpeg/run-tool.ts';

export interface AnalysisDecode {
  ffmpeg: string;
  /** The hardened input arguments (protocol whitelist, forced demuxer, our own staged path). */
  inputArgs: readonly string[];
  width: number;
  height: number;
  timeoutMs: number;
  /** The picture's stream index (from the probe). */
  streamIndex: number;
  /** Only this stretch of the clip (seconds); frame times then count from `start`'s frame. */
  range?: { start: number; duration: number };
  signal?: AbortSignal;
  /** Where frame buffers come from, and go back to once `onFrame` is done with them. */
  pool?: FramePool;
  onFrame(frame: AnalysisFrame): Promise<void>;
}

/** Seconds between frames handed to the analysis (a little under the sampler's shortest interval). */
export const MIN_FRAME_SPACING = 0.15;

/** Decoded frames waiting for the analysis, at most (about 1.5 MB each at 960×540). */
const READ_AHEAD_FRAMES = 8;

/** Frames whose time has not arrived yet on stderr; more means showinfo is not reporting and we stop. */
const MAX_UNTIMED_FRAMES = 90;

/** Buffers for one decode's frames: enough for the read-ahead and the frames being analysed. */
export function analysisFramePool(size: { width: number; height: number }): FramePool {
  return new FramePool(size.width * size.height * 3, READ_AHEAD_FRAMES + 4);
}

/**
 * Decodes the clip for analysis only: downscaled RGB frames through a pipe (nothing on disk). Frames that no other
 * frame depends on (B-frames) are skipped and in-loop deblocking is off: analysis samples a few frames per second
 * and needs neither, and the decode is several times cheaper. Upright (ffmpeg applies the rotation).
 */
export async function decodeAnalysisFrames(decode: AnalysisDecode): Promise<{ frames: number }> {
  const pairer = new FramePairer();
  const pool = decode.pool ?? analysisFramePool(decode);
  let delivered = 0;
  // The reader waits while READ_AHEAD_FRAMES frames are pending and resumes as soon as one is taken, so that
  // ffmpeg decodes the next frames while the current one is analysed.
  let frameTaken: (() => void) | undefined;
  const drain = async (): Promise<void> => {
    for (let frame = pairer.take(); frame; frame = pairer.take()) {
      frameTaken?.();
      await decode.onFrame(frame);
      pool.give(frame.rgb);
      delivered += 1;
    }
  };
  let processing: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    processing = processing.then(drain);
    processing.catch(() => undefined);
  };
  const roomForAFrame = (): Promise<void> => Promise.race([new Promise<void>((resolve) => { frameTaken = resolve; }), processing.then(() => undefined)]);
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    // One decoding thread: segments are decoded side by side already, and frame threads only add overhead here.
    '-threads', '1', '-skip_frame', 'bidir', '-skip_loop_filter', 'all',
    ...(decode.range ? ['-ss', decode.range.start.toFixed(3), '-t', decode.range.duration.toFixed(3)] : []),
    ...decode.inputArgs,
    '-map', `0:${decode.streamIndex}`, '-an', '-sn', '-dn',
    // At most one frame per MIN_FRAME_SPACING reaches Node: the sampler never looks closer than that.
    '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${MIN_FRAME_SPACING})',scale=${decode.width}:${decode.height}:flags=bilinear,showinfo`,
    '-vsync', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
  const result = await runTool(decode.ffmpeg, {
    args,
    timeoutMs: decode.timeoutMs,
    ...(decode.signal ? { signal: decode.signal } : {}),
    onStderrLine: (line) => {
      const info = parseShowinfoLine(line);
      if (info) pairer.addTime(info.time);
    },
    onStdout: async (stdout) => {
      for await (const rgb of readFixedFrames(stdout, pool.frameBytes, pool)) {
        pairer.addFrame(rgb);
        if (pairer.pendingFrames > MAX_UNTIMED_FRAMES) throw new Error('ffmpeg reported no frame times (showinfo)');
        schedule();
        // ffmpeg decodes ahead while frames are analysed, a few frames at most.
        if (pairer.pendingFrames >= READ_AHEAD_FRAMES) await roomForAFrame();
      }
      await processing;
    },
  });
  schedule();
  await processing;
  if (result.exitCode !== 0) {
    throw new IdolensError('corrupt_video', undefined, { stage: 'analysis', exitCode: result.exitCode, ffmpeg: stderrExcerpt(result.stderrTail, 2, 300) });
  }
  return { frames: delivered };
}
