import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import { FACES_ROOT } from './faces-folder.ts';

/** Shared clips joined into the timed 1080p30 clip: a BLACKPINK ad, talking heads, a crowd, a head-turn close-up. */
const SOURCES = [
  'inyourarea_blackpink/ad.mp4',
  'video-retalking/face_1.mp4',
  'video-retalking/face_2.mp4',
  'facenet-pytorch/video.mp4',
  'video-retalking/face_4.mp4',
  'liveportrait/driving_d10.mp4',
];

export function sharedClip(relative: string): string {
  const file = path.join(FACES_ROOT, 'videos', relative);
  if (!existsSync(file)) throw new Error(`missing shared clip ${file}`);
  return file;
}

async function ffmpeg(binary: string, args: string[]): Promise<void> {
  const result = await runTool(binary, { args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], timeoutMs: 600_000 });
  if (result.exitCode !== 0) throw new Error(`ffmpeg failed: ${result.stderrTail}`);
}

/** ≥ 30 s of 1920×1080 at 30 fps with AAC audio: the shared clips scaled, letterboxed and joined. */
export async function build1080pClip(binary: string, folder: string): Promise<string> {
  const output = path.join(folder, 'bench-1080p30.mp4');
  if (existsSync(output)) return output;
  await mkdir(folder, { recursive: true });
  const inputs = SOURCES.flatMap((source) => ['-i', sharedClip(source)]);
  const chains = SOURCES.map((_, index) => `[${index}:v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30[v${index}];`
    + `[${index}:a]aresample=48000,aformat=channel_layouts=stereo[a${index}];`).join('');
  const joined = SOURCES.map((_, index) => `[v${index}][a${index}]`).join('');
  await ffmpeg(binary, [...inputs, '-filter_complex', `${chains}${joined}concat=n=${SOURCES.length}:v=1:a=1[v][a]`, '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart', output]);
  return output;
}

/** The 1080p clip looped (stream copy) to at least `seconds`: the memory target's 3-minute clip. */
export async function loopClip(binary: string, source: string, seconds: number, folder: string): Promise<string> {
  const output = path.join(folder, `bench-1080p30-${seconds}s.mp4`);
  if (existsSync(output)) return output;
  await ffmpeg(binary, ['-stream_loop', '-1', '-i', source, '-t', String(seconds), '-c', 'copy', '-movflags', '+faststart', output]);
  return output;
}
