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

/** ≥ 30 s at 30 fps with AAC audio, `height` lines 16:9 (1080 or 720): the shared clips scaled, letterboxed and joined. */
export async function buildBenchClip(binary: string, folder: string, height: number): Promise<string> {
  const width = Math.round((height * 16) / 9);
  const output = path.join(folder, `bench-${height}p30.mp4`);
  if (existsSync(output)) return output;
  await mkdir(folder, { recursive: true });
  const inputs = SOURCES.flatMap((source) => ['-i', sharedClip(source)]);
  const chains = SOURCES.map((_, index) => `[${index}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30[v${index}];`
    + `[${index}:a]aresample=48000,aformat=channel_layouts=stereo[a${index}];`).join('');
  const joined = SOURCES.map((_, index) => `[v${index}][a${index}]`).join('');
  await ffmpeg(binary, [...inputs, '-filter_complex', `${chains}${joined}concat=n=${SOURCES.length}:v=1:a=1[v][a]`, '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart', output]);
  return output;
}

/** A clip looped (stream copy) to `seconds`: the memory target's 5-minute clip. */
export async function loopClip(binary: string, source: string, seconds: number, folder: string): Promise<string> {
  const output = path.join(folder, `${path.basename(source, '.mp4')}-${seconds}s.mp4`);
  if (existsSync(output)) return output;
  await ffmpeg(binary, ['-stream_loop', '-1', '-i', source, '-t', String(seconds), '-c', 'copy', '-movflags', '+faststart', output]);
  return output;
}

/** The crowd clip as a phone fancam: its centre cut to 9:16 and scaled to 1080×1920 (faces about 1.8 times larger). */
export async function verticalCrowdClip(binary: string, folder: string): Promise<string> {
  const output = path.join(folder, 'crowd-vertical-1080x1920.mp4');
  if (existsSync(output)) return output;
  await mkdir(folder, { recursive: true });
  await ffmpeg(binary, ['-i', sharedClip(CROWD_CLIP), '-vf', 'crop=608:1080,scale=1080:1920,setsar=1', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-an', output]);
  return output;
}

export const CROWD_CLIP = 'facenet-pytorch/video.mp4';
