import type { FaceEngine } from '../../core/faces/engine.ts';
import { parseShowinfoLine } from '../../core/video/analysis/frame-reader.ts';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import type { Box } from '../../core/types.ts';

/** A track of `annotate --json`: its boxes over time, in the clip's pixels. */
export interface JsonTrack {
  name: string | null;
  from: number;
  to: number;
  boxes: ({ time: number } & Box)[];
}

export interface Recall {
  /** Reference faces (the accurate detector on full-size frames, at least `minSide` px tall). */
  faces: number;
  /** Of them, covered by a box of the labelled clip at that moment. */
  boxed: number;
  recall: number;
  framesChecked: number;
}

/** Reference frames per second: every fifth frame of a 25 fps clip. */
const REFERENCE_FPS = 5;
/** A face counts only from this height on (in the clip's pixels), as the target says. */
export const MIN_FACE_SIDE = 40;

export function interpolate(track: JsonTrack, time: number): Box | undefined {
  if (time < track.from || time > track.to) return undefined;
  const after = track.boxes.findIndex((box) => box.time >= time);
  const next = track.boxes[after];
  const previous = track.boxes[after - 1];
  if (!next) return undefined;
  if (!previous || next.time === time) return next;
  const k = (time - previous.time) / (next.time - previous.time);
  const mix = (a: number, b: number): number => a + (b - a) * k;
  return { x: mix(previous.x, next.x), y: mix(previous.y, next.y), width: mix(previous.width, next.width), height: mix(previous.height, next.height) };
}

const centreInside = (inner: Box, outer: Box): boolean => {
  const x = inner.x + inner.width / 2;
  const y = inner.y + inner.height / 2;
  return x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height;
};

/**
 * A drawn box covers a face when either's centre is inside the other (a detector's face box against a labelled
 * head box) and neither is more than three times the other's height.
 */
export function covers(drawn: Box, face: Box): boolean {
  const ratio = drawn.height / face.height;
  return ratio <= 3 && ratio >= 1 / 3 && (centreInside(face, drawn) || centreInside(drawn, face));
}

/** The track whose box covers this face at this instant, if any. */
export function coveringTrack(tracks: readonly JsonTrack[], time: number, face: Box): JsonTrack | undefined {
  return tracks.find((track) => {
    const drawn = interpolate(track, time);
    return drawn !== undefined && covers(drawn, face);
  });
}

/**
 * Frames about 1/REFERENCE_FPS apart, each with its own presentation time (showinfo): the `fps` filter would label a
 * frame with its output slot's time, up to a frame interval away from when it is shown, and a face crossing
 * the picture moves a box width in that time.
 */
export async function referenceFrames(ffmpeg: string, clip: string, width: number, height: number): Promise<{ time: number; rgb: Uint8Array }[]> {
  const times: number[] = [];
  const spacing = (1 / REFERENCE_FPS - 0.001).toFixed(3);
  const result = await runTool(ffmpeg, {
    args: ['-hide_banner', '-nostdin', '-loglevel', 'info', '-i', clip, '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${spacing})',showinfo,scale=${width}:${height}`, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    timeoutMs: 600_000,
    onStderrLine: (line) => {
      const info = parseShowinfoLine(line);
      if (info) times.push(info.time);
    },
  });
  if (result.exitCode !== 0) throw new Error(`reference frames of ${clip}: ${result.stderrTail}`);
  const frameBytes = width * height * 3;
  const count = Math.min(times.length, Math.floor(result.stdout.length / frameBytes));
  return Array.from({ length: count }, (_, index) => ({ time: times[index] ?? 0, rgb: new Uint8Array(result.stdout.subarray(index * frameBytes, (index + 1) * frameBytes)) }));
}

/**
 * How many of the faces the accurate detector finds on full-size frames (5 per second) carry a box of the labelled
 * clip at that moment: each drawn box covers at most one face.
 */
export async function boxRecall(engine: FaceEngine, ffmpeg: string, clip: { path: string; width: number; height: number }, tracks: readonly JsonTrack[]): Promise<Recall> {
  let faces = 0;
  let boxed = 0;
  const frames = await referenceFrames(ffmpeg, clip.path, clip.width, clip.height);
  for (const frame of frames) {
    const found = await engine.analyze({ rgb: Buffer.from(frame.rgb.buffer, frame.rgb.byteOffset, frame.rgb.length), width: clip.width, height: clip.height, originalWidth: clip.width, originalHeight: clip.height, scale: 1, format: 'png', firstFrameOnly: false }, 'accurate');
    const reference = found.map((face) => face.box).filter((box) => box.height >= MIN_FACE_SIDE);
    const drawn = tracks.flatMap((track) => interpolate(track, frame.time) ?? []);
    faces += reference.length;
    for (const face of reference) {
      const index = drawn.findIndex((box) => covers(box, face));
      if (index < 0) continue;
      boxed += 1;
      drawn.splice(index, 1);
    }
  }
  return { faces, boxed, recall: faces === 0 ? 1 : boxed / faces, framesChecked: frames.length };
}
