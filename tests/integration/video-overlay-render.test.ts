/**
 * The ASS overlay through the real ffmpeg/libass: a synthetic clip is rendered and encoded once, decoded back to raw
 * RGB through a pipe, and every frame is checked against the track's linearly interpolated box.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Box } from '../../core/types.ts';
import { textColorOn } from '../../core/render/palette.ts';
import { assFilter, buildOverlayAss, overlayFonts, overlayStyle } from '../../core/video/overlay/overlay-ass.ts';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import { resolveMediaTools } from '../../core/video/ffmpeg/tools.ts';
import type { TrackKeyframe, VideoTrack } from '../../core/video/types.ts';

const ffmpeg = resolveMediaTools({ ffmpegPath: undefined, ffprobePath: undefined }).ffmpeg.path;
const fonts = overlayFonts();
const FPS = 30;
const HOLD = 0.15;
const MEMBER_COLOR = '#0072B2';
type Rgb = [number, number, number];
const MEMBER_RGB = rgbOf(MEMBER_COLOR);

/** Moves left to right at an uneven pace, growing, with detections at irregular instants. */
const KEYFRAMES: TrackKeyframe[] = [
  [0.2, 40, 150, 100, 120],
  [0.43, 120, 146, 104, 122],
  [0.71, 170, 150, 110, 126],
  [1.0, 260, 140, 116, 130],
  [1.37, 330, 150, 124, 136],
  [1.6, 420, 148, 130, 140],
].map(([time = 0, x = 0, y = 0, width = 0, height = 0]) => ({ time, box: { x, y, width, height } }));

let tempDir: string;

before(async () => {
  // Filtergraph syntax in the directory name: the filter expression must carry it through both ffmpeg parsers.
  tempDir = await mkdtemp(path.join(os.tmpdir(), "idolens overlay it's [a],b;c:d="));
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function pixel(raster: Raster, x: number, y: number): Rgb {
  const offset = (y * raster.width + x) * 3;
  return [raster.data[offset] ?? 0, raster.data[offset + 1] ?? 0, raster.data[offset + 2] ?? 0];
}

/** How much of the member colour a pixel holds over black: 1 on the stroke, about 0.5 on an edge pixel, 0 on black. */
function coverage(raster: Raster, x: number, y: number): number {
  const rgb = pixel(raster, x, y);
  const dot = rgb[0] * MEMBER_RGB[0] + rgb[1] * MEMBER_RGB[1] + rgb[2] * MEMBER_RGB[2];
  return dot / (MEMBER_RGB[0] ** 2 + MEMBER_RGB[1] ** 2 + MEMBER_RGB[2] ** 2);
}

/** Coverage-weighted centre of the stroke met along a line of pixels, and its strongest pixel. */
function strokeAlong(samples: { at: number; coverage: number }[]): { centre: number; peak: number } {
  const inked = samples.filter((sample) => sample.coverage > 0.25);
  const weight = inked.reduce((sum, sample) => sum + sample.coverage, 0);
  return {
    centre: weight === 0 ? Number.NaN : inked.reduce((sum, sample) => sum + sample.at * sample.coverage, 0) / weight,
    peak: Math.max(0, ...samples.map((sample) => sample.coverage)),
  };
}

function range(from: number, to: number): number[] {
  const values: number[] = [];
  for (let value = Math.ceil(from); value <= Math.floor(to); value += 1) values.push(value);
  return values;
}

/** The track's box at `time`, interpolated here independently of the code under test. */
function expectedBox(time: number): Box {
  const first = KEYFRAMES[0];
  const last = KEYFRAMES.at(-1);
  assert.ok(first && last);
  if (time <= first.time) return first.box;
  if (time >= last.time) return last.box;
  const index = KEYFRAMES.findIndex((keyframe) => keyframe.time >= time);
  const a = KEYFRAMES[index - 1]?.box;
  const b = KEYFRAMES[index]?.box;
  const from = KEYFRAMES[index - 1]?.time ?? 0;
  const to = KEYFRAMES[index]?.time ?? 1;
  assert.ok(a && b);
  const f = (time - from) / (to - from);
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, width: a.width + (b.width - a.width) * f, height: a.height + (b.height - a.height) * f };
}

function track(id: number, name: string | null, keyframes: TrackKeyframe[]): VideoTrack {
  return { id, name, confidence: 0.9, votes: 4, keyframes, from: keyframes[0]?.time ?? 0, to: keyframes.at(-1)?.time ?? 0 };
}

/** Runs ffmpeg writing raw RGB frames to stdout and hands each whole frame over as it arrives. */
async function readFrames(args: string[], width: number, height: number, onFrame: (raster: Raster, index: number) => void): Promise<string> {
  const frameBytes = width * height * 3;
  const stderr: string[] = [];
  let frames = 0;
  const result = await runTool(ffmpeg, {
    args: ['-hide_banner', ...args, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    timeoutMs: 60_000,
    onStderrLine: (line) => stderr.push(line),
    onStdout: async (stdout) => {
      let pending = Buffer.alloc(0);
      for await (const chunk of stdout) {
        pending = Buffer.concat([pending, chunk as Buffer]);
        while (pending.length >= frameBytes) {
          onFrame({ data: pending.subarray(0, frameBytes), width, height }, frames);
          frames += 1;
          pending = pending.subarray(frameBytes);
        }
      }
    },
  });
  assert.equal(result.exitCode, 0, result.stderrTail);
  assert.ok(frames > 0, 'ffmpeg produced frames');
  return stderr.join('\n');
}

test('an encoded clip shows the box on the interpolated path in every frame of the track, and nothing outside it', async () => {
  const [width, height] = [640, 360];
  const assPath = path.join(tempDir, 'overlay.ass');
  const clip = path.join(tempDir, 'labelled.mp4');
  const tracks = [track(1, 'Jennie', KEYFRAMES)];
  await writeFile(assPath, buildOverlayAss({ width, height, tracks, colors: new Map([['Jennie', MEMBER_COLOR]]), fontFamily: fonts.fontFamily }));
  const encode = await runTool(ffmpeg, {
    args: ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${width}x${height}:r=${FPS}:d=2`, '-vf', assFilter(assPath, fonts.fontsDir),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', clip],
    timeoutMs: 60_000,
  });
  assert.equal(encode.exitCode, 0, encode.stderrTail);

  const { thickness, halo, fontSize } = overlayStyle(width, height);
  const first = KEYFRAMES[0]?.time ?? 0;
  const last = KEYFRAMES.at(-1)?.time ?? 0;
  const textRgb = rgbOf(textColorOn(MEMBER_COLOR));
  const checked: number[] = [];
  await readFrames(['-loglevel', 'error', '-i', clip], width, height, (raster, index) => {
    const time = index / FPS;
    if (time < first - HOLD - 1 / FPS || time > last + HOLD + 1 / FPS) {
      let strongest = 0;
      for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) strongest = Math.max(strongest, coverage(raster, x, y));
      assert.ok(strongest < 0.25, `frame ${index} (${time.toFixed(3)} s) is outside the track but shows its colour (${strongest.toFixed(2)})`);
      return;
    }
    if (time < first - HOLD + 1 / FPS || time > last + HOLD - 1 / FPS) return; // within a frame of the hold's edges
    checked.push(index);
    const box = expectedBox(time);
    const where = `frame ${index} (${time.toFixed(3)} s)`;
    const row = Math.round(box.y + box.height / 2);
    // Near the right side, past the label (name and confidence) that sits on the top edge's left part.
    const column = Math.round(box.x + box.width - thickness - 3);
    const across = (xs: number[]): { centre: number; peak: number } => strokeAlong(xs.map((x) => ({ at: x + 0.5, coverage: coverage(raster, x, row) })));
    const down = (ys: number[]): { centre: number; peak: number } => strokeAlong(ys.map((y) => ({ at: y + 0.5, coverage: coverage(raster, column, y) })));
    const edges = [
      { name: 'left', stroke: across(range(box.x - 8, box.x + 6)), expected: box.x - thickness / 2 },
      { name: 'right', stroke: across(range(box.x + box.width - 6, box.x + box.width + 8)), expected: box.x + box.width + thickness / 2 },
      { name: 'top', stroke: down(range(box.y - 8, box.y + 6)), expected: box.y - thickness / 2 },
      { name: 'bottom', stroke: down(range(box.y + box.height - 6, box.y + box.height + 8)), expected: box.y + box.height + thickness / 2 },
    ];
    for (const edge of edges) {
      assert.ok(edge.stroke.peak > 0.7, `${where}: no ${edge.name} edge near ${edge.expected.toFixed(1)} (peak ${edge.stroke.peak.toFixed(2)})`);
      // Box sides are clipped rectangles, and libass puts clip edges on whole pixels: within 1.25 px of the exact path.
      assert.ok(Math.abs(edge.stroke.centre - edge.expected) <= 1.25, `${where}: ${edge.name} edge at ${edge.stroke.centre.toFixed(2)}, expected ${edge.expected.toFixed(2)}`);
    }
    const far = [...range(0, box.x - 10), ...range(box.x + 8, box.x + box.width - 8), ...range(box.x + box.width + 10, width - 1)];
    const stray = far.find((x) => coverage(raster, x, row) > 0.25);
    assert.equal(stray, undefined, `${where}: member colour at x=${stray} in row ${row}, far from the box`);

    // The label: a pill of the member colour resting on the outline, with text of its contrasting colour on it.
    const pillBottom = Math.floor(box.y - thickness - halo);
    const pillTop = Math.ceil(pillBottom - fontSize * 1.3);
    let pill = 0;
    let text = 0;
    for (let y = pillTop + 2; y <= pillBottom - 2; y += 1) {
      for (let x = Math.ceil(box.x); x <= box.x + 2.5 * fontSize; x += 1) {
        const rgb = pixel(raster, x, y);
        if (coverage(raster, x, y) > 0.8 && coverage(raster, x, y) < 1.2) pill += 1;
        if (rgb.every((value, channel) => Math.abs(value - (textRgb[channel] ?? 0)) < 60)) text += 1;
      }
    }
    assert.ok(pill > 150, `${where}: no label box above the outline (${pill} px)`);
    assert.ok(text > 25, `${where}: no label text on it (${text} px)`);
  });
  // 0.2 s to 1.6 s plus the holds, at 30 fps: every one of those frames was checked.
  assert.ok(checked.length >= Math.floor((last - first + 2 * HOLD) * FPS) - 2, `only ${checked.length} frames checked`);
});

test('the filter works after a downscale and with filtergraph syntax in both paths', async () => {
  const assPath = path.join(tempDir, "in,side [the]; clip's: overlay.ass");
  const fontsDir = path.join(tempDir, "fonts, [with]; 'quotes': ");
  assert.ok(fonts.fontsDir !== undefined, 'the dejavu-fonts-ttf package provides the label font');
  await mkdir(fontsDir);
  await symlink(path.join(fonts.fontsDir, 'DejaVuSans-Bold.ttf'), path.join(fontsDir, 'DejaVuSans-Bold.ttf'));
  const box = { x: 200, y: 100, width: 120, height: 140 };
  const tracks = [track(1, 'Jennie', [{ time: 0, box }, { time: 1, box }])];
  await writeFile(assPath, buildOverlayAss({ width: 640, height: 360, tracks, colors: new Map([['Jennie', MEMBER_COLOR]]), fontFamily: fonts.fontFamily }));

  let left = Number.NaN;
  const stderr = await readFrames(
    ['-loglevel', 'verbose', '-f', 'lavfi', '-i', 'color=c=black:s=640x360:r=10:d=1', '-vf', `scale=320:180,${assFilter(assPath, fontsDir)},null`, '-frames:v', '1'],
    320,
    180,
    (raster) => {
      left = strokeAlong(range(90, 110).map((x) => ({ at: x + 0.5, coverage: coverage(raster, x, 85) }))).centre;
    },
  );
  assert.ok(stderr.includes(`Loading font file '${path.join(fontsDir, 'DejaVuSans-Bold.ttf')}'`), 'libass loaded the font from the escaped fontsdir');
  assert.ok(stderr.includes(`Added subtitle file: '${assPath}'`), 'libass read the escaped script path');
  const thickness = overlayStyle(640, 360).thickness;
  assert.ok(Math.abs(left - (box.x - thickness / 2) / 2) <= 1, `libass scaled the script to the smaller frame (left edge at ${left})`);
});

test('Hangul names render as glyphs, not as the boxes of a missing font', async () => {
  const [width, height] = [1280, 720];
  // U+0378 is unassigned: no font has it, so it shows what a missing glyph looks like.
  const names = ['지수', '리사', '\u0378\u0378', 'Lisa'];
  const boxes = names.map((_, index) => ({ x: 80 + 300 * index, y: 300, width: 160, height: 200 }));
  const tracks = names.map((name, index) => track(index + 1, name, [{ time: 0, box: boxes[index] ?? assert.fail() }, { time: 1, box: boxes[index] ?? assert.fail() }]));
  const assPath = path.join(tempDir, 'hangul.ass');
  await writeFile(assPath, buildOverlayAss({ width, height, tracks, colors: new Map(names.map((name) => [name, MEMBER_COLOR])), fontFamily: fonts.fontFamily }));
  const { thickness, halo, fontSize } = overlayStyle(width, height);
  const masks: string[][] = [];
  await readFrames(
    ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${width}x${height}:r=10:d=1`, '-vf', assFilter(assPath, fonts.fontsDir), '-frames:v', '1'],
    width,
    height,
    (raster) => {
      for (const box of boxes) {
        const bottom = Math.floor(box.y - thickness - halo);
        const rows = range(bottom - fontSize * 1.3, bottom).map((y) =>
          range(box.x - 10, box.x + 4 * fontSize).map((x) => (pixel(raster, x, y).every((value) => value > 160) ? '#' : '.')).join(''));
        masks.push(trimMask(rows));
      }
    },
  );
  const [jisoo = [], lisa = [], missing = [], latin = []] = masks;
  assert.ok(ink(jisoo) > 100 && ink(lisa) > 100, 'both Hangul labels have text pixels');
  assert.notDeepEqual(jisoo, lisa, 'different syllables drew different ink (two missing-glyph boxes would be identical)');
  assert.notDeepEqual(jisoo, missing, 'the Hangul label is not drawn as missing glyphs');
  assert.notDeepEqual(latin, missing, 'sanity: a drawn name differs from missing glyphs');
});

test('a name written in ASS override syntax is drawn as text, where its label belongs', async () => {
  const [width, height] = [1280, 720];
  const name = '{\\pos(0,0)\\fs200}X\\N';
  const box = { x: 500, y: 300, width: 160, height: 200 };
  const assPath = path.join(tempDir, 'hostile.ass');
  await writeFile(assPath, buildOverlayAss({ width, height, tracks: [track(1, name, [{ time: 0, box }])], colors: new Map([[name, MEMBER_COLOR]]), fontFamily: fonts.fontFamily }));
  const { thickness, halo, fontSize } = overlayStyle(width, height);
  let label: string[] = [];
  let elsewhere = 0;
  await readFrames(
    ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${width}x${height}:r=10:d=0.1`, '-vf', assFilter(assPath, fonts.fontsDir), '-frames:v', '1'],
    width,
    height,
    (raster) => {
      const bottom = Math.floor(box.y - thickness - halo);
      const top = Math.ceil(bottom - fontSize * 1.3);
      label = trimMask(range(top, bottom).map((y) => range(box.x - 10, box.x + 14 * fontSize).map((x) => (pixel(raster, x, y).every((value) => value > 160) ? '#' : '.')).join('')));
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          const inLabel = y >= top && y <= bottom && x >= box.x - 10 && x <= box.x + 14 * fontSize;
          if (!inLabel && pixel(raster, x, y).every((value) => value > 160)) elsewhere += 1;
        }
      }
    },
  );
  assert.equal(elsewhere, 0, 'no text anywhere but on the label (an injected \\pos would move it to the corner)');
  assert.ok((label[0]?.length ?? 0) > 9 * fontSize * 0.5, `the whole name is drawn on one line of the label (${label[0]?.length ?? 0} px wide)`);
  assert.ok(label.length < fontSize * 1.3, 'at the label font size, not \\fs200');
});

/** The text pixels of a label, cropped to their bounding box, so labels drawn at different places compare equal. */
function trimMask(rows: string[]): string[] {
  const inked = rows.filter((row) => row.includes('#'));
  if (inked.length === 0) return [];
  const firstRow = rows.findIndex((row) => row.includes('#'));
  const lastRow = rows.findLastIndex((row) => row.includes('#'));
  const left = Math.min(...inked.map((row) => row.indexOf('#')));
  const right = Math.max(...inked.map((row) => row.lastIndexOf('#')));
  return rows.slice(firstRow, lastRow + 1).map((row) => row.slice(left, right + 1));
}

function ink(mask: string[]): number {
  return mask.join('').split('#').length - 1;
}
