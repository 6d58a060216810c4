/**
 * One clip made of a labelled clip's stretches, in order, each with its own sound: trimmed and joined in one
 * ffmpeg run (frame-exact cuts need a re-encode; the audio is cut at the same instants, so it stays in sync).
 */
import { IdolensError } from '../../errors.ts';
import type { MediaTools } from '../ffmpeg/tools.ts';
import { runTool, stderrExcerpt } from '../ffmpeg/run-tool.ts';
import type { Stretch } from './stretches.ts';

export interface JoinRequest {
  tools: MediaTools;
  /** The labelled clip (our own file). */
  input: string;
  hasAudio: boolean;
  stretches: readonly Stretch[];
  outputPath: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

function filterGraph(stretches: readonly Stretch[], hasAudio: boolean): string {
  const parts = stretches.map((stretch, index) => {
    const video = `[0:v]trim=start=${stretch.from}:end=${stretch.to},setpts=PTS-STARTPTS[v${index}]`;
    const audio = `[0:a]atrim=start=${stretch.from}:end=${stretch.to},asetpts=PTS-STARTPTS[a${index}]`;
    return hasAudio ? `${video};${audio}` : video;
  });
  const inputs = stretches.map((_, index) => (hasAudio ? `[v${index}][a${index}]` : `[v${index}]`)).join('');
  return `${parts.join(';')};${inputs}concat=n=${stretches.length}:v=1:a=${hasAudio ? 1 : 0}${hasAudio ? '[v][a]' : '[v]'}`;
}

export async function joinStretches(request: JoinRequest): Promise<void> {
  const { tools, hasAudio } = request;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', request.input,
    '-filter_complex', filterGraph(request.stretches, hasAudio),
    '-map', '[v]', ...(hasAudio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '160k'] : []),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', request.outputPath,
  ];
  const result = await runTool(tools.ffmpeg.path, { args, timeoutMs: request.timeoutMs, env: tools.ffmpeg.env, ...(request.signal ? { signal: request.signal } : {}) });
  if (result.exitCode !== 0) throw new IdolensError('internal', undefined, { ffmpeg: stderrExcerpt(result.stderrTail, 3, 300) });
}
