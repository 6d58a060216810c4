import type { Readable } from 'node:stream';

/** A decoded analysis frame: packed RGB at the analysis size, with its presentation time. */
export interface AnalysisFrame {
  index: number;
  /** Seconds from the clip's start. */
  time: number;
  rgb: Uint8Array;
}

const SHOWINFO_LINE = /\bn:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:\s*(-?[\d.]+(?:e-?\d+)?)/;

/** The frame number and time a showinfo log line reports, if it is one. */
export function parseShowinfoLine(line: string): { index: number; time: number } | undefined {
  if (!line.includes('showinfo')) return undefined;
  const match = SHOWINFO_LINE.exec(line);
  if (!match) return undefined;
  return { index: Number(match[1]), time: Number(match[3]) };
}

/**
 * Pairs raw frames from ffmpeg's stdout with the times showinfo prints on stderr (both arrive in frame order,
 * but not in step with each other), and hands them out one at a time.
 */
export class FramePairer {
  private readonly times: number[] = [];
  private readonly frames: Uint8Array[] = [];
  private nextIndex = 0;

  addTime(time: number): void {
    this.times.push(time);
  }

  addFrame(rgb: Uint8Array): void {
    this.frames.push(rgb);
  }

  /** The next frame whose time is known, or undefined. */
  take(): AnalysisFrame | undefined {
    if (this.frames.length === 0 || this.times.length === 0) return undefined;
    const rgb = this.frames.shift();
    const time = this.times.shift();
    if (rgb === undefined || time === undefined) return undefined;
    return { index: this.nextIndex++, time, rgb };
  }

  get pendingFrames(): number {
    return this.frames.length;
  }
}

/**
 * Frame buffers handed back once analysed (or skipped), for the next frames: a clip otherwise allocates a fresh
 * 1.5 MB buffer per decoded frame, and the page faults and collections that come with it cost more CPU than the
 * copy itself.
 */
export class FramePool {
  private readonly free: Uint8Array[] = [];

  constructor(readonly frameBytes: number, private readonly capacity: number) {}

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.frameBytes);
  }

  /** A buffer no longer read by anyone; ignored when it was transferred away (empty) or is not a frame's size. */
  give(buffer: Uint8Array): void {
    if (buffer.byteLength === this.frameBytes && this.free.length < this.capacity && !this.free.includes(buffer)) this.free.push(buffer);
  }
}

/** Cuts a byte stream into fixed-size frames without copying more than once. */
export async function* readFixedFrames(stream: Readable, frameBytes: number, pool = new FramePool(frameBytes, 0)): AsyncGenerator<Uint8Array> {
  let current = pool.take();
  let filled = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      current.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        yield current;
        current = pool.take();
        filled = 0;
      }
    }
  }
}
