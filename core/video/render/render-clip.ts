import readline from 'node:readline';
import type { EncodePlan } from './encode-plan.ts';
import { runTool, stderrExcerpt } from '../ffmpeg/run-tool.ts';

export interface RenderRequest {
  ffmpeg: string;
  inputArgs: readonly string[];
  plan: EncodePlan;
  /** The picture's stream index (from the probe). */
  streamIndex: number;
  /** Display size of the source (the overlay's coordinate space). */
  sourceWidth: number;
  sourceHeight: number;
  /** The `ass=` filter with our own escaped paths. */
  overlayFilter: string;
  outputPath: string;
  durationSeconds: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
}

function videoArgs(plan: EncodePlan): string[] {
  const rate = plan.maxBitsPerSecond === undefined ? [] : ['-maxrate', String(plan.maxBitsPerSecond), '-bufsize', String(plan.maxBitsPerSecond)];
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(plan.crf), ...rate, '-pix_fmt', 'yuv420p', '-profile:v', 'high'];
}

function audioArgs(plan: EncodePlan): string[] {
  switch (plan.audio.mode) {
    case 'none': return ['-an'];
    case 'copy': return ['-map', '0:a:0', '-c:a', 'copy'];
    case 'aac': return ['-map', '0:a:0', '-c:a', 'aac', '-b:a', String(plan.audio.bitsPerSecond)];
  }
}

/** The filter chain: scale only when the plan changes the size (or makes it even), then the overlay. */
function filterChain(request: RenderRequest): string {
  const { plan } = request;
  const scaled = plan.width !== request.sourceWidth || plan.height !== request.sourceHeight;
  return [scaled ? `scale=${plan.width}:${plan.height}:flags=bicubic` : undefined, request.overlayFilter].filter(Boolean).join(',');
}

/**
 * One encode pass: the clip's own frames (same count, same times: passthrough), boxes and names drawn by
 * libass, H.264 + the audio copied (or AAC when it must), MP4 with the index up front for inline playback.
 * Returns the number of frames written.
 */
export async function renderClip(request: RenderRequest): Promise<{ frames: number }> {
  let frames = 0;
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    ...request.inputArgs,
    '-map', `0:${request.streamIndex}`,
    ...audioArgs(request.plan),
    '-sn', '-dn',
    '-vf', filterChain(request),
    ...videoArgs(request.plan),
    '-vsync', 'passthrough',
    '-max_muxing_queue_size', '4096',
    '-movflags', '+faststart',
    '-progress', 'pipe:1',
    '-f', 'mp4', `file:${request.outputPath}`,
  ];
  const result = await runTool(request.ffmpeg, {
    args,
    timeoutMs: request.timeoutMs,
    ...(request.signal ? { signal: request.signal } : {}),
    onStdout: async (stdout) => {
      for await (const line of readline.createInterface({ input: stdout, crlfDelay: Infinity })) {
        const [key, value] = line.split('=', 2);
        if (key === 'frame') frames = Number(value) || frames;
        if (key === 'out_time_ms' || key === 'out_time_us') {
          const seconds = Number(value) / 1e6;
          if (Number.isFinite(seconds)) request.onProgress?.(Math.min(100, (seconds / Math.max(request.durationSeconds, 0.001)) * 100));
        }
      }
    },
  });
  if (result.exitCode !== 0) {
    throw new Error(`rendering failed (ffmpeg exit ${result.exitCode}): ${stderrExcerpt(result.stderrTail, 2, 300)}`);
  }
  return { frames };
}
