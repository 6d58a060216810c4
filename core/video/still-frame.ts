/**
 * The still under a clip's summary: the sampled moment where most members were on screen, and that frame of the
 * clip as a PNG (upright, as ffmpeg turns rotated clips), for a labelled picture fans can correct.
 */
import { IdolensError } from '../errors.ts';
import { runTool } from './ffmpeg/run-tool.ts';
import type { MediaTools } from './ffmpeg/tools.ts';
import type { VideoTrack } from './types.ts';

/** The first analysed moment with the most named faces (the most faces when none was named); undefined: no face at all. */
export function summaryMoment(tracks: readonly VideoTrack[]): number | undefined {
  const counts = new Map<number, { named: number; all: number }>();
  for (const track of tracks) {
    for (const keyframe of track.keyframes) {
      const count = counts.get(keyframe.time) ?? { named: 0, all: 0 };
      counts.set(keyframe.time, { named: count.named + (track.name === null ? 0 : 1), all: count.all + 1 });
    }
  }
  let best: { time: number; named: number; all: number } | undefined;
  for (const [time, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (best === undefined || count.named > best.named || (count.named === best.named && count.all > best.all)) best = { time, ...count };
  }
  return best?.time;
}

export async function clipFrame(tools: MediaTools, clipPath: string, seconds: number, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
  const args = ['-v', 'error', '-ss', seconds.toFixed(3), '-i', clipPath, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-'];
  const result = await runTool(tools.ffmpeg.path, { args, timeoutMs: options.timeoutMs, env: tools.ffmpeg.env, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.exitCode !== 0 || result.stdout.length === 0) throw new IdolensError('corrupt_video', `I could not read the frame at ${seconds.toFixed(1)} s of this clip.`);
  return result.stdout;
}
