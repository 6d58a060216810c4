import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { IdolensError } from '../../core/errors.ts';
import type { Box } from '../../core/types.ts';
import {
  contactSheetLayout, escapePangoMarkup, labelFont, renderContactSheet, renderLabelledImage,
} from '../../core/render/index.ts';
import type { ContactSheetTile, LabelledFace, LabelledImage } from '../../core/render/index.ts';
import { UNKNOWN_OUTLINE_COLOR } from '../../core/render/palette.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const facesDir = path.resolve(repoRoot, '..', 'shared', 'faces');
if (!existsSync(facesDir)) throw new Error(`Real face photos are missing: expected them in ${facesDir}`);
const groupPhoto = await readFile(path.join(facesDir, 'multiface_vladmandic', '_multi_face_unlabeled', 'sample1.jpg'));
const jennieDir = path.join(facesDir, 'blackpink_celebfr', 'jennie');
const jenniePhoto = await readFile(path.join(jennieDir, '1230990_NgtN.jpg'));

/** Three faces of sample1.jpg (1920x1280), located by eye. */
const GROUP_FACES: LabelledFace[] = [
  { box: { x: 400, y: 340, width: 220, height: 240 }, label: 'Jennie', known: true },
  { box: { x: 830, y: 430, width: 210, height: 230 }, label: 'unknown', known: false },
  { box: { x: 1460, y: 200, width: 240, height: 250 }, label: 'Rosé', known: true },
];

type Rgb = [number, number, number];

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

async function rasterOf(image: Uint8Array, resizeTo?: { width: number; height: number }): Promise<Raster> {
  const pipeline = sharp(image).autoOrient();
  if (resizeTo !== undefined) pipeline.resize({ ...resizeTo, fit: 'fill' });
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function pixelAt(raster: Raster, x: number, y: number): Rgb {
  const offset = (Math.round(y) * raster.width + Math.round(x)) * 3;
  return [raster.data[offset] ?? 0, raster.data[offset + 1] ?? 0, raster.data[offset + 2] ?? 0];
}

function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function maxChannelDifference(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

function meanDifference(a: Raster, b: Raster, region: Box): number {
  let total = 0;
  let count = 0;
  for (let y = region.y; y < region.y + region.height; y += 1) {
    for (let x = region.x; x < region.x + region.width; x += 1) {
      total += maxChannelDifference(pixelAt(a, x, y), pixelAt(b, x, y));
      count += 1;
    }
  }
  return total / count;
}

function pixelsIn(raster: Raster, region: Box, matches: (pixel: Rgb) => boolean): number {
  let found = 0;
  for (let y = region.y; y < region.y + region.height; y += 1) {
    for (let x = region.x; x < region.x + region.width; x += 1) if (matches(pixelAt(raster, x, y))) found += 1;
  }
  return found;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function insideImage(rect: Box, image: { width: number; height: number }): boolean {
  return rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= image.width && rect.y + rect.height <= image.height;
}

/** The share of points down the middle of a face's left outline stroke that have the outline colour. */
function leftStrokeColourShare(output: Raster, result: LabelledImage, index: number): number {
  const entry = result.layout[index];
  assert.ok(entry, `no layout for face ${index}`);
  const x = entry.outline.x + result.style.thickness / 2;
  const colour = hexToRgb(entry.color);
  const from = Math.max(0, Math.ceil(entry.outline.y + result.style.thickness));
  const to = Math.min(output.height - 1, Math.floor(entry.outline.y + entry.outline.height - result.style.thickness));
  let matching = 0;
  for (let y = from; y <= to; y += 1) if (maxChannelDifference(pixelAt(output, x, y), colour) <= 40) matching += 1;
  return matching / (to - from + 1);
}

test('the label font is the bold DejaVu Sans shipped in node_modules', () => {
  const font = labelFont();
  assert.equal(font.source, 'package');
  assert.ok(font.fontfile?.endsWith('DejaVuSans-Bold.ttf'));
  assert.ok(existsSync(font.fontfile ?? ''));
});

test('names are escaped for Pango markup', () => {
  assert.equal(escapePangoMarkup('<b>A&B</b>'), '&lt;b&gt;A&amp;B&lt;/b&gt;');
  assert.equal(escapePangoMarkup('line\nbreak'), 'line break');
});

test('a labelled photo keeps the original size, draws outlines in the label colour and leaves the face untouched', async () => {
  const result = await renderLabelledImage({ source: groupPhoto, faces: GROUP_FACES });
  assert.deepEqual([result.width, result.height, result.scale], [1920, 1280, 1]);
  const metadata = await sharp(result.jpeg).metadata();
  assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', 1920, 1280]);

  const output = await rasterOf(result.jpeg);
  const original = await rasterOf(groupPhoto);
  for (const [index, face] of GROUP_FACES.entries()) {
    const entry = result.layout[index];
    assert.ok(entry);
    const share = leftStrokeColourShare(output, result, index);
    if (face.known) assert.ok(share > 0.9, `solid outline of ${face.label}: ${share}`);
    else assert.ok(share > 0.3 && share < 0.8, `dashed outline of ${face.label}: ${share}`);
    const centre = { x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2 };
    assert.ok(maxChannelDifference(pixelAt(output, centre.x, centre.y), pixelAt(original, centre.x, centre.y)) <= 24, `centre of ${face.label}`);
  }
  assert.equal(result.layout[1]?.color, UNKNOWN_OUTLINE_COLOR);
  assert.notEqual(result.layout[0]?.color, result.layout[2]?.color);
});

test('every label is drawn as a solid tab with text, above its face and inside the image', async () => {
  const result = await renderLabelledImage({ source: groupPhoto, faces: GROUP_FACES });
  const output = await rasterOf(result.jpeg);
  const original = await rasterOf(groupPhoto);
  for (const [index, entry] of result.layout.entries()) {
    const label = entry.labelRect;
    assert.ok(insideImage(label, result), `label ${index} inside the image`);
    assert.equal(label.y + label.height, Math.round(entry.outline.y), `label ${index} sits on its outline`);
    assert.ok(meanDifference(output, original, label) > 20, `label ${index} changes the photo`);
    const background = hexToRgb(entry.color === UNKNOWN_OUTLINE_COLOR ? '#4B5260' : entry.color);
    const text = hexToRgb(entry.textColor);
    const area = label.width * label.height;
    assert.ok(pixelsIn(output, label, (pixel) => maxChannelDifference(pixel, background) <= 30) > area * 0.4, `label ${index} background`);
    assert.ok(pixelsIn(output, label, (pixel) => maxChannelDifference(pixel, text) <= 40) > area * 0.05, `label ${index} text`);
  }
});

test('a face at the top edge gets its label below, and one at the right edge stays inside the image', async () => {
  const faces: LabelledFace[] = [
    { box: { x: 300, y: 0, width: 200, height: 220 }, label: 'Lisa', known: true },
    { box: { x: 1820, y: 600, width: 200, height: 220 }, label: 'Kim Jisoo the long name', known: true },
  ];
  const result = await renderLabelledImage({ source: groupPhoto, faces });
  const [top, right] = result.layout;
  assert.ok(top && right);
  assert.ok(top.labelRect.y >= top.outline.y + top.outline.height - 1, 'label below the face');
  assert.ok(insideImage(right.labelRect, result), 'label kept inside on the right');
});

test('labels of faces side by side are pushed apart instead of overlapping', async () => {
  const faces: LabelledFace[] = [0, 1, 2, 3].map((index) => ({
    box: { x: 500 + index * 130, y: 500, width: 120, height: 130 },
    label: `Member number ${index + 1}`,
    known: true,
  }));
  const result = await renderLabelledImage({ source: groupPhoto, faces });
  const rects = result.layout.map((entry) => entry.labelRect);
  for (const [i, a] of rects.entries()) {
    for (const b of rects.slice(i + 1)) assert.ok(!overlaps(a, b), `labels ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
  }
});

test('an EXIF-rotated JPEG is drawn upright with boxes in upright coordinates', async () => {
  const sideways = await sharp(groupPhoto).resize({ width: 1200 }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const stored = await sharp(sideways).metadata();
  assert.deepEqual([stored.width, stored.height, stored.orientation], [1200, 800, 6]);
  const face: LabelledFace = { box: { x: 300, y: 400, width: 180, height: 200 }, label: 'Jisoo', known: true };
  const result = await renderLabelledImage({ source: sideways, faces: [face] });
  assert.deepEqual([result.width, result.height], [800, 1200]);
  const share = leftStrokeColourShare(await rasterOf(result.jpeg), result, 0);
  assert.ok(share > 0.9, `outline where the upright box is: ${share}`);
});

test('label text scales with the image, from a 200 px thumbnail to a 4K frame', async () => {
  const render = async (width: number): Promise<LabelledImage> => {
    const scale = width / 1920;
    const source = await sharp(groupPhoto).resize({ width }).jpeg().toBuffer();
    const faces = GROUP_FACES.map((face) => ({
      ...face,
      box: { x: face.box.x * scale, y: face.box.y * scale, width: face.box.width * scale, height: face.box.height * scale },
    }));
    return renderLabelledImage({ source, faces });
  };
  const thumbnail = await render(200);
  const frame = await render(3840);
  assert.deepEqual([thumbnail.width, frame.width, frame.scale], [200, 3840, 1]);
  assert.equal(thumbnail.style.fontPixels, 12);
  assert.equal(frame.style.fontPixels, 64);
  const thumbnailLabel = thumbnail.layout[0]?.labelRect.height ?? 0;
  const frameLabel = frame.layout[0]?.labelRect.height ?? 0;
  assert.ok(frameLabel >= thumbnailLabel * 4, `label heights ${thumbnailLabel} and ${frameLabel}`);
  for (const result of [thumbnail, frame]) {
    for (const entry of result.layout) assert.ok(insideImage(entry.labelRect, result));
  }
});

test('an image larger than 4096 px is capped and its boxes scaled with it', async () => {
  const huge = await sharp(groupPhoto).resize({ width: 5120, kernel: 'nearest' }).jpeg({ quality: 60 }).toBuffer();
  const face: LabelledFace = { box: { x: 1280, y: 1280, width: 640, height: 640 }, label: 'Jennie', known: true };
  const result = await renderLabelledImage({ source: huge, faces: [face] });
  assert.deepEqual([result.width, result.height, result.scale], [4096, 2730, 0.8]);
  assert.deepEqual(result.layout[0]?.box, { x: 1024, y: 1024, width: 512, height: 512 });
});

test('a smaller output size caps the longer side and scales the boxes with it', async () => {
  const face: LabelledFace = { box: { x: 960, y: 540, width: 320, height: 320 }, label: 'Jennie', known: true };
  const result = await renderLabelledImage({ source: groupPhoto, faces: [face], maxSide: 1280 });
  assert.equal(Math.max(result.width, result.height), 1280);
  assert.equal(result.scale, 1280 / Math.max(result.width / result.scale, result.height / result.scale));
  assert.deepEqual((await sharp(result.jpeg).metadata()).width, result.width);
});

test('Hangul names, markup characters and long names render without breaking the layout', async () => {
  const faces: LabelledFace[] = [
    { box: { x: 400, y: 340, width: 220, height: 240 }, label: '제니', known: true },
    { box: { x: 830, y: 430, width: 210, height: 230 }, label: '<&>', known: true },
    { box: { x: 1460, y: 200, width: 240, height: 250 }, label: 'x'.repeat(300), known: true },
  ];
  const small = await sharp(groupPhoto).resize({ width: 600 }).jpeg().toBuffer();
  const result = await renderLabelledImage({ source: small, faces: faces.map((face) => ({ ...face, box: scaleBy(face.box, 600 / 1920) })) });
  assert.equal(result.layout.length, 3);
  for (const entry of result.layout) {
    assert.ok(entry.labelRect.width > 0 && entry.labelRect.width <= result.width);
    assert.ok(insideImage(entry.labelRect, result));
  }
});

test('the first frame of an animated GIF is labelled', async () => {
  const frame = (background: string): Promise<Buffer> =>
    sharp({ create: { width: 160, height: 120, channels: 3, background } }).png().toBuffer();
  const gif = await sharp([await frame('#20a040'), await frame('#2040a0')], { join: { animated: true } }).gif().toBuffer();
  const face: LabelledFace = { box: { x: 40, y: 40, width: 60, height: 60 }, label: 'Rosé', known: true };
  const result = await renderLabelledImage({ source: gif, faces: [face] });
  assert.deepEqual([result.width, result.height], [160, 120]);
  const centre = pixelAt(await rasterOf(result.jpeg), 70, 70);
  assert.ok(maxChannelDifference(centre, [0x20, 0xa0, 0x40]) <= 24, `centre ${centre.join(',')}`);
});

test('a photo without faces comes back unchanged in size, and unreadable bytes are domain errors', async () => {
  const result = await renderLabelledImage({ source: jenniePhoto, faces: [] });
  const original = await sharp(jenniePhoto).metadata();
  assert.deepEqual([result.width, result.height], [original.autoOrient.width, original.autoOrient.height]);
  await assert.rejects(renderLabelledImage({ source: new Uint8Array(0), faces: [] }), (error: unknown) => error instanceof IdolensError && error.code === 'empty_file');
  await assert.rejects(
    renderLabelledImage({ source: Buffer.from('definitely not a photo'), faces: [] }),
    (error: unknown) => error instanceof IdolensError && error.code === 'corrupt_image',
  );
});

async function jennieTiles(count: number): Promise<ContactSheetTile[]> {
  const thumbnail = await sharp(jenniePhoto).resize(160, 160, { fit: 'cover' }).jpeg().toBuffer();
  return Array.from({ length: count }, (_, index) => ({ thumbnailJpeg: thumbnail, number: index + 1, flagged: index % 4 === 1 }));
}

async function jpegSize(jpeg: Buffer): Promise<[string | undefined, number | undefined, number | undefined]> {
  const metadata = await sharp(jpeg).metadata();
  return [metadata.format, metadata.width, metadata.height];
}

test('a contact sheet without photos is a small JPEG saying so', async () => {
  const sheet = await renderContactSheet({ title: 'Jennie', tiles: [] });
  assert.deepEqual(await jpegSize(sheet), ['jpeg', 420, 206]);
});

test('contact sheets lay out 1 and 13 tiles on a grid of up to six columns', async () => {
  const one = await renderContactSheet({ title: 'Jennie', tiles: await jennieTiles(1) });
  assert.deepEqual(await jpegSize(one), ['jpeg', 420, 216]);
  const thirteen = await renderContactSheet({ title: 'BLACKPINK', tiles: await jennieTiles(13) });
  assert.deepEqual(await jpegSize(thirteen), ['jpeg', 850, 492]);
  const layout = contactSheetLayout(13, false);
  assert.deepEqual([layout.columns, layout.rows, layout.width, layout.height], [6, 3, 850, 492]);

  const raster = await rasterOf(thirteen);
  const orange = hexToRgb('#E69F00');
  const leftEdgeOf = (index: number): Rgb => {
    const rect = layout.tiles[index];
    assert.ok(rect);
    return pixelAt(raster, rect.x + 1, rect.y + rect.height / 2);
  };
  assert.ok(maxChannelDifference(leftEdgeOf(1), orange) <= 40, 'flagged tile 2 has an orange frame');
  assert.ok(maxChannelDifference(leftEdgeOf(0), orange) > 60, 'tile 1 is not flagged');
});

test('captions add a line under each tile, and the tile number badge is drawn on the photo', async () => {
  const tiles = (await jennieTiles(2)).map((tile) => ({ ...tile, caption: 'from <fan> & friends' }));
  const sheet = await renderContactSheet({ title: '<&> 제니', tiles });
  const layout = contactSheetLayout(2, true);
  assert.deepEqual(await jpegSize(sheet), ['jpeg', layout.width, layout.height]);
  assert.equal(layout.height, 216 + 22);
  const firstTile = layout.tiles[0];
  assert.ok(firstTile);
  const raster = await rasterOf(sheet);
  const badge = { x: firstTile.x + 6, y: firstTile.y + 6, width: 30, height: 30 };
  assert.ok(pixelsIn(raster, badge, (pixel) => Math.min(...pixel) > 220) > 10, 'white digits in the badge');
  assert.ok(pixelsIn(raster, badge, (pixel) => Math.max(...pixel) < 60) > 200, 'dark badge background');
});

test('a contact sheet holds 200 tiles and survives an unreadable thumbnail', async () => {
  const tiles = await jennieTiles(200);
  tiles[7] = { thumbnailJpeg: Buffer.from('broken'), number: 8, flagged: false };
  const sheet = await renderContactSheet({ title: 'Everyone', tiles });
  const layout = contactSheetLayout(200, false);
  assert.deepEqual([layout.columns, layout.rows], [6, 34]);
  assert.deepEqual(await jpegSize(sheet), ['jpeg', layout.width, layout.height]);
});

function scaleBy(box: Box, scale: number): Box {
  return { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}
