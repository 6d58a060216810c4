import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import type { Box } from '../../core/types.ts';
import { MIN_FACE_SIDE, coveringTrack, type JsonTrack } from './face-recall.ts';
import { readLabelledHeads, type LabelledHead } from './group-photos.ts';

/** Four-member photos of blackpink_group_dlcv shown in turn, small on a 1920×1080 stage, each panning for this long. */
const PHOTOS = ['00001', '00002', '00003', '00018', '00030', '00033'];
const SHOT_SECONDS = 3;
const FRAME = { width: 1920, height: 1080 };
/** The photo's height on the frame (faces end up 28 to 90 px wide), its top, its first left edge and its speed. */
const PLACE = { height: 400, top: 340, left: 100, pixelsPerSecond: 160 };
const CHECKS_PER_SECOND = 5;

export interface WideShotFace {
  time: number;
  member: string;
  box: Box;
}

export interface WideShotClip {
  path: string;
  faces: WideShotFace[];
}

interface Shot {
  photo: string;
  scale: number;
  heads: LabelledHead[];
}

async function shots(): Promise<Shot[]> {
  const heads = await readLabelledHeads();
  return Promise.all(PHOTOS.map(async (name) => {
    const own = heads.filter((head) => path.basename(head.image, '.jpg') === name);
    const photo = own[0]?.image ?? '';
    const { height = 1 } = await sharp(photo).metadata();
    return { photo, scale: PLACE.height / height, heads: own };
  }));
}

/** Where each labelled face is at each checked instant: the photo's boxes, scaled and moved as the photo pans. */
function expectedFaces(list: readonly Shot[]): WideShotFace[] {
  return list.flatMap((shot, index) => Array.from({ length: SHOT_SECONDS * CHECKS_PER_SECOND }, (_, step) => {
    const local = (step + 0.5) / CHECKS_PER_SECOND;
    const left = PLACE.left + local * PLACE.pixelsPerSecond;
    return shot.heads.map((head) => ({
      time: index * SHOT_SECONDS + local,
      member: head.member,
      box: { x: left + head.box.x0 * shot.scale, y: PLACE.top + head.box.y0 * shot.scale, width: (head.box.x1 - head.box.x0) * shot.scale, height: (head.box.y1 - head.box.y0) * shot.scale },
    }));
  }).flat());
}

/** The group photos as a wide stage shot: each small on a dark 1080p frame, panning left to right, one after the other. */
export async function wideShotClip(ffmpeg: string, folder: string): Promise<WideShotClip> {
  const list = await shots();
  const output = path.join(folder, 'wide-shot-group-photos-1080p.mp4');
  const faces = expectedFaces(list);
  if (existsSync(output)) return { path: output, faces };
  await mkdir(folder, { recursive: true });
  const inputs = list.flatMap((shot) => ['-loop', '1', '-framerate', '30', '-t', String(SHOT_SECONDS), '-i', shot.photo]);
  const chains = list.map((_, index) => `color=c=0x202020:s=${FRAME.width}x${FRAME.height}:r=30:d=${SHOT_SECONDS}[bg${index}];`
    + `[${index}:v]scale=-2:${PLACE.height},setsar=1[p${index}];`
    + `[bg${index}][p${index}]overlay=x='${PLACE.left}+t*${PLACE.pixelsPerSecond}':y=${PLACE.top}:shortest=1,format=yuv420p[v${index}];`).join('');
  const joined = list.map((_, index) => `[v${index}]`).join('');
  const result = await runTool(ffmpeg, {
    args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', `${chains}${joined}concat=n=${list.length}:v=1:a=0[v]`, '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', output],
    timeoutMs: 600_000,
  });
  if (result.exitCode !== 0) throw new Error(`wide-shot clip: ${result.stderrTail}`);
  return { path: output, faces };
}

export interface WideShotScore {
  faces: number;
  boxed: number;
  namedRight: number;
  namedWrong: number;
  wrong: string[];
}

/** Each labelled face at least MIN_FACE_SIDE tall: boxed or not, and the name its box carries. */
export function scoreWideShot(clip: WideShotClip, tracks: readonly JsonTrack[]): WideShotScore {
  const score: WideShotScore = { faces: 0, boxed: 0, namedRight: 0, namedWrong: 0, wrong: [] };
  for (const face of clip.faces) {
    if (face.box.height < MIN_FACE_SIDE) continue;
    score.faces += 1;
    const track = coveringTrack(tracks, face.time, face.box);
    if (!track) continue;
    score.boxed += 1;
    if (track.name === null) continue;
    if (track.name.toLowerCase() === face.member) score.namedRight += 1;
    else {
      score.namedWrong += 1;
      score.wrong.push(`${face.time.toFixed(1)} s ${face.member} as ${track.name}`);
    }
  }
  return score;
}
