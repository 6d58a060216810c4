/**
 * One clip made of a labelled clip's stretches, in order, each with its own sound: trimmed and joined in one
 * ffmpeg run (frame-exact cuts need a re-encode; the audio is cut at the same instants, so it stays in sync).
 */
import { stat } from 'node:fs/promises';
import { IdolensError } from '../../errors.ts';
import { formatSize } from '../../format.ts';
import type { MediaTools } from '../ffmpeg/tools.ts';
import { runTool, stderrExcerpt } from '../ffmpeg/run-tool.ts';
import { totalSeconds, type Stretch } from './stretches.ts';

export interface JoinRequest {
  tools: MediaTools;
  /** The labelled clip (our own file). */
  input: string;
  hasAudio: boolean;
  stretches: readonly Stretch[];
  outputPath: string;
  timeoutMs: number;
  /** The upload limit the cut must fit. */
  maxBytes?: number;
  signal?: AbortSignal;
}

const AUDIO_BITRATE = 160_000;
const MIN_VIDEO_BITRATE = 100_000;
/** What of the limit the streams may fill: the rest is the MP4's own boxes and the encoder's overshoot. */
const CONTAINER_SHARE = 0.9;

function filterGraph(stretches: readonly Stretch[], hasAudio: boolean): string {
  const parts = stretches.map((stretch, index) => {
    const video = `[0:v]trim=start=${stretch.from}:end=${stretch.to},setpts=PTS-STARTPTS[v${index}]`;
    const audio = `[0:a]atrim=start=${stretch.from}:end=${stretch.to},asetpts=PTS-STARTPTS[a${index}]`;
    return hasAudio ? `${video};${audio}` : video;
  });
  const inputs = stretches.map((_, index) => (hasAudio ? `[v${index}][a${index}]` : `[v${index}]`)).join('');
  return `${parts.join(';')};${inputs}concat=n=${stretches.length}:v=1:a=${hasAudio ? 1 : 0}${hasAudio ? '[v][a]' : '[v]'}`;
}

/** Video bits per second that leave room for the sound and the container in `maxBytes` over `seconds`. */
function videoBitrateWithin(maxBytes: number, seconds: number, hasAudio: boolean): number {
  const bits = maxBytes * 8 * CONTAINER_SHARE;
  return Math.max(MIN_VIDEO_BITRATE, Math.floor(bits / Math.max(seconds, 0.1) - (hasAudio ? AUDIO_BITRATE : 0)));
}

async function encode(request: JoinRequest, videoRate: string[]): Promise<number> {
  const { tools, hasAudio } = request;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', request.input,
    '-filter_complex', filterGraph(request.stretches, hasAudio),
    '-map', '[v]', ...(hasAudio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', String(AUDIO_BITRATE)] : []),
    '-c:v', 'libx264', '-preset', 'veryfast', ...videoRate, '-pix_fmt', 'yuv420p', '-movflags', '+faststart', request.outputPath,
  ];
  const result = await runTool(tools.ffmpeg.path, { args, timeoutMs: request.timeoutMs, env: tools.ffmpeg.env, ...(request.signal ? { signal: request.signal } : {}) });
  if (result.exitCode !== 0) throw new IdolensError('internal', undefined, { ffmpeg: stderrExcerpt(result.stderrTail, 3, 300) });
  return (await stat(request.outputPath)).size;
}

/** Constant quality first; over the upload limit, once more at the bitrate that fits it. Returns the bytes written. */
export async function joinStretches(request: JoinRequest): Promise<number> {
  const bytes = await encode(request, ['-crf', '23']);
  const { maxBytes } = request;
  if (maxBytes === undefined || bytes <= maxBytes) return bytes;
  const rate = String(videoBitrateWithin(maxBytes, totalSeconds(request.stretches), request.hasAudio));
  const fitted = await encode(request, ['-b:v', rate, '-maxrate', rate, '-bufsize', String(2 * Number(rate))]);
  if (fitted > maxBytes) throw new IdolensError('output_too_large', `The cut came out at ${formatSize(fitted)}, over the ${formatSize(maxBytes)} limit.`, { bytes: fitted, maxBytes });
  return fitted;
}
