import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { IdolensError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { DecodedImage, MediaLimits } from '../../core/types.ts';
import { DEFAULT_MEDIA_LIMITS, decodeImage, sniffImageFormat } from '../../core/media/index.ts';
import { decodeBmp } from '../../core/media/bmp.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const facesDir = path.resolve(repoRoot, '..', 'shared', 'faces');
if (!existsSync(facesDir)) throw new Error(`Real face photos are missing: expected them in ${facesDir}`);
const jenniePhoto = path.join(facesDir, 'blackpink_celebfr', 'jennie', '1230990_NgtN.jpg');

/** Tiny hand-made bitmaps are far below the normal minimum side. */
const TINY: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, minSide: 1 };
const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const RGBA_MASKS = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];

type Rgb = [number, number, number];

interface BmpSpec {
  width: number;
  /** Negative for rows stored top-down. */
  height: number;
  bitsPerPixel: number;
  /** Stored pixel values, top row first: palette indices, or little-endian values (0xRRGGBB for 24-bit). */
  rows?: number[][];
  /** Raw pixel bytes instead of `rows` (RLE streams, broken data). */
  pixelData?: Buffer;
  compression?: number;
  headerBytes?: 12 | 40 | 108 | 124;
  /** After a 40-byte header, or inside a V4/V5 header. */
  masks?: number[];
  palette?: Rgb[];
  colorsUsed?: number;
}

/** Writes a BMP the way the format describes it: file header, info header, masks, palette, padded rows. */
function buildBmp(spec: BmpSpec): Buffer {
  const headerBytes = spec.headerBytes ?? 40;
  const masks = headerBytes === 40 ? (spec.masks ?? []) : [];
  const entryBytes = headerBytes === 12 ? 3 : 4;
  const palette = Buffer.alloc((spec.palette ?? []).length * entryBytes);
  (spec.palette ?? []).forEach(([r, g, b], index) => palette.set([b, g, r], index * entryBytes));
  const pixels = spec.pixelData ?? packRows(spec.rows ?? [], spec.width, spec.bitsPerPixel, spec.height < 0);
  const pixelOffset = 14 + headerBytes + masks.length * 4 + palette.length;
  const file = Buffer.alloc(pixelOffset + pixels.length);
  file.write('BM', 0, 'ascii');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(pixelOffset, 10);
  file.writeUInt32LE(headerBytes, 14);
  if (headerBytes === 12) {
    file.writeUInt16LE(spec.width, 18);
    file.writeUInt16LE(spec.height, 20);
    file.writeUInt16LE(1, 22);
    file.writeUInt16LE(spec.bitsPerPixel, 24);
  } else {
    file.writeInt32LE(spec.width, 18);
    file.writeInt32LE(spec.height, 22);
    file.writeUInt16LE(1, 26);
    file.writeUInt16LE(spec.bitsPerPixel, 28);
    file.writeUInt32LE(spec.compression ?? BI_RGB, 30);
    file.writeUInt32LE(pixels.length, 34);
    file.writeUInt32LE(spec.colorsUsed ?? 0, 46);
    const fieldMasks = headerBytes === 40 ? masks : (spec.masks ?? []);
    fieldMasks.forEach((mask, index) => file.writeUInt32LE(mask, 54 + index * 4));
    if (headerBytes > 40) file.write('BGRs', 70, 'ascii'); // LCS_sRGB colour space
  }
  file.set(palette, 14 + headerBytes + masks.length * 4);
  file.set(pixels, pixelOffset);
  return file;
}

function packRows(rows: number[][], width: number, bitsPerPixel: number, topDown: boolean): Buffer {
  const stride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const stored = topDown ? rows : [...rows].reverse();
  const data = Buffer.alloc(stride * stored.length);
  stored.forEach((row, rowIndex) => {
    row.forEach((value, x) => {
      const bit = x * bitsPerPixel;
      const at = rowIndex * stride + Math.floor(bit / 8);
      if (bitsPerPixel < 8) data[at] = (data[at] ?? 0) | (value << (8 - bitsPerPixel - (bit % 8)));
      else data.writeUIntLE(value >>> 0, at, bitsPerPixel / 8);
    });
  });
  return data;
}

/** A pattern where every pixel differs, so flips, shifts and padding mistakes show. */
function patternColour(x: number, y: number): Rgb {
  return [20 + 40 * x, 30 + 70 * y, 200 - 15 * (x + y)];
}

function grid<T>(width: number, height: number, cell: (x: number, y: number) => T): T[][] {
  return Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => cell(x, y)));
}

function packedRgb([r, g, b]: Rgb): number {
  return (r << 16) | (g << 8) | b;
}

function assertPixels(image: DecodedImage, expected: Rgb[][], tolerance = 0): void {
  assert.deepEqual([image.width, image.height], [expected[0]?.length, expected.length]);
  expected.forEach((row, y) => row.forEach((colour, x) => {
    const at = (y * image.width + x) * 3;
    const actual = [...image.rgb.subarray(at, at + 3)];
    const close = actual.every((value, channel) => Math.abs(value - (colour[channel] ?? -1)) <= tolerance);
    assert.ok(close, `pixel (${x}, ${y}) is ${JSON.stringify(actual)}, expected ${JSON.stringify(colour)}`);
  }));
}

async function rejectsWithCode(work: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<IdolensError> {
  let caught: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof IdolensError, `expected IdolensError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `${caught.code}: ${JSON.stringify(caught.details)}`);
  return caught;
}

const PALETTE_16: Rgb[] = Array.from({ length: 16 }, (_, index) => [index * 16, 255 - index * 16, (index * 97) % 256]);

test('a 24-bit bottom-up BMP with an odd width (padded rows) decodes pixel for pixel', async () => {
  const colours = grid(5, 3, patternColour);
  const bitmap = buildBmp({ width: 5, height: 3, bitsPerPixel: 24, rows: colours.map((row) => row.map(packedRgb)) });
  assert.equal(sniffImageFormat(bitmap), 'bmp');
  const image = await decodeImage(bitmap, TINY);
  assert.deepEqual([image.format, image.scale, image.originalWidth, image.originalHeight, image.firstFrameOnly], ['bmp', 1, 5, 3, false]);
  assertPixels(image, colours);
});

test('a top-down BMP (negative height) keeps its first stored row at the top', async () => {
  const colours = grid(5, 3, patternColour);
  const bitmap = buildBmp({ width: 5, height: -3, bitsPerPixel: 24, rows: colours.map((row) => row.map(packedRgb)) });
  assertPixels(await decodeImage(bitmap, TINY), colours);
});

test('a 32-bit BITFIELDS BMP (V5 header) keeps its alpha, and the pipeline puts transparent parts on white', async () => {
  const rows = [[0xffff0000, 0x000000ff, 0x8000ff00]];
  const bitmap = buildBmp({ width: 3, height: 1, bitsPerPixel: 32, compression: BI_BITFIELDS, headerBytes: 124, masks: RGBA_MASKS, rows });
  const raw = decodeBmp(bitmap, 100);
  assert.equal(raw.channels, 4);
  assert.deepEqual([...raw.data], [255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 128]);
  assertPixels(await decodeImage(bitmap, TINY), [[[255, 0, 0], [255, 255, 255], [127, 255, 127]]], 2);
});

test('32-bit alpha is ignored without an alpha mask, and an alpha mask with every alpha at 0 means opaque', async () => {
  const rows = [[0x00ff0000, 0x120000ff]];
  const plain = buildBmp({ width: 2, height: 1, bitsPerPixel: 32, rows });
  const zeroAlpha = buildBmp({ width: 2, height: 1, bitsPerPixel: 32, compression: BI_BITFIELDS, headerBytes: 108, masks: RGBA_MASKS, rows: [[0x00ff0000, 0x000000ff]] });
  for (const bitmap of [plain, zeroAlpha]) {
    assert.equal(decodeBmp(bitmap, 100).channels, 3);
    assertPixels(await decodeImage(bitmap, TINY), [[[255, 0, 0], [0, 0, 255]]]);
  }
});

test('an 8-bit BMP with a short palette (colours used 6) decodes through its palette', async () => {
  const palette: Rgb[] = [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [250, 200, 10], [90, 60, 30]];
  const indices = grid(5, 4, (x, y) => (x + 2 * y) % 6);
  const bitmap = buildBmp({ width: 5, height: 4, bitsPerPixel: 8, palette, colorsUsed: 6, rows: indices });
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => palette[index] ?? [0, 0, 0])));
});

test('a 4-bit BMP with an odd width decodes both nibbles of every byte', async () => {
  const indices = grid(7, 3, (x, y) => (x * 3 + y * 5) % 16);
  const bitmap = buildBmp({ width: 7, height: 3, bitsPerPixel: 4, palette: PALETTE_16, rows: indices });
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => PALETTE_16[index] ?? [0, 0, 0])));
});

test('a 1-bit BMP whose rows cross byte boundaries decodes every bit', async () => {
  const palette: Rgb[] = [[10, 20, 30], [240, 230, 220]];
  const indices = grid(11, 3, (x, y) => ((x * 7 + y) % 3 === 0 ? 1 : 0));
  const bitmap = buildBmp({ width: 11, height: 3, bitsPerPixel: 1, palette, rows: indices });
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => palette[index] ?? [0, 0, 0])));
});

test('an OS/2 core-header BMP reads its 3-byte palette entries', async () => {
  const indices = grid(6, 2, (x, y) => x + 6 * y);
  const bitmap = buildBmp({ width: 6, height: 2, bitsPerPixel: 4, headerBytes: 12, palette: PALETTE_16, rows: indices });
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => PALETTE_16[index] ?? [0, 0, 0])));
});

test('16-bit BMPs decode as 565 with BITFIELDS masks and as 555 without them', async () => {
  const rgb565 = (r: number, g: number, b: number) => (r << 11) | (g << 5) | b;
  const rgb555 = (r: number, g: number, b: number) => (r << 10) | (g << 5) | b;
  const masks565 = [0xf800, 0x07e0, 0x001f];
  const bitmap565 = buildBmp({ width: 3, height: 1, bitsPerPixel: 16, compression: BI_BITFIELDS, masks: masks565,
    rows: [[rgb565(31, 0, 0), rgb565(0, 63, 31), rgb565(10, 33, 20)]] });
  assertPixels(await decodeImage(bitmap565, TINY), [[[255, 0, 0], [0, 255, 255], [82, 134, 165]]]);
  const bitmap555 = buildBmp({ width: 3, height: 1, bitsPerPixel: 16, rows: [[rgb555(31, 0, 0), rgb555(0, 31, 0), rgb555(10, 16, 20)]] });
  assertPixels(await decodeImage(bitmap555, TINY), [[[255, 0, 0], [0, 255, 0], [82, 132, 165]]]);
});

test('an RLE8 BMP decodes runs, literal runs with padding, line ends, a delta jump and the end marker', async () => {
  const palette: Rgb[] = [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]];
  const stream = Buffer.from([
    3, 1, 3, 2, 0, 0, // bottom row: run of 1s, run of 2s, end of line
    0, 4, 0, 1, 2, 3, 2, 3, 0, 0, // middle row: literal of 4 (even, no padding), run of 3s
    0, 3, 3, 2, 1, 0, 0, 2, 2, 0, 1, 1, 0, 1, // top row: literal of 3 plus padding, skip 2 pixels, one 1, end of bitmap
  ]);
  const bitmap = buildBmp({ width: 6, height: 3, bitsPerPixel: 8, compression: BI_RLE8, palette, pixelData: stream });
  const indices = [[3, 2, 1, 0, 0, 1], [0, 1, 2, 3, 3, 3], [1, 1, 1, 2, 2, 2]];
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => palette[index] ?? [9, 9, 9])));
});

test('an RLE4 BMP decodes alternating-nibble runs and packed literal runs', async () => {
  const stream = Buffer.from([5, 0x12, 0, 0, 0, 3, 0x34, 0x50, 2, 0x66, 0, 1]);
  const bitmap = buildBmp({ width: 5, height: 2, bitsPerPixel: 4, compression: BI_RLE4, palette: PALETTE_16, pixelData: stream });
  const indices = [[3, 4, 5, 6, 6], [1, 2, 1, 2, 1]];
  assertPixels(await decodeImage(bitmap, TINY), indices.map((row) => row.map((index) => PALETTE_16[index] ?? [0, 0, 0])));
});

test('a BMP missing only the padding of its last row is still read', async () => {
  const colours = grid(5, 2, patternColour);
  const bitmap = buildBmp({ width: 5, height: 2, bitsPerPixel: 24, rows: colours.map((row) => row.map(packedRgb)) });
  assertPixels(await decodeImage(bitmap.subarray(0, bitmap.length - 1), TINY), colours);
});

test('a large BMP is downscaled and a small one refused, like every other format', async () => {
  const wide = buildBmp({ width: 3000, height: 40, bitsPerPixel: 24, rows: grid(3000, 40, () => 0xc86432) });
  const image = await decodeImage(wide);
  assert.deepEqual([image.width, image.originalWidth, image.scale, image.format], [2048, 3000, 3000 / 2048, 'bmp']);
  assertPixels({ ...image, width: 1, height: 1, rgb: image.rgb.subarray(0, 3) }, [[[200, 100, 50]]]);
  const small = buildBmp({ width: 20, height: 20, bitsPerPixel: 24, rows: grid(20, 20, () => 0) });
  await rejectsWithCode(decodeImage(small), 'too_small');
});

test('truncated BMP pixel data is refused as corrupt', async () => {
  const bitmap = buildBmp({ width: 40, height: 40, bitsPerPixel: 24, rows: grid(40, 40, () => 0x336699) });
  const error = await rejectsWithCode(decodeImage(bitmap.subarray(0, bitmap.length - 200)), 'corrupt_image');
  assert.deepEqual([error.details.expectedBytes, error.details.availableBytes], [40 * 120, 40 * 120 - 200]);
});

test('a header declaring 50000x50000 is refused from the header alone, before any pixel is allocated', async () => {
  // Only the headers exist: allocating 7.5 GB of pixels would throw a RangeError, not this error.
  const bomb = buildBmp({ width: 50_000, height: 50_000, bitsPerPixel: 24, pixelData: Buffer.alloc(0) });
  assert.ok(bomb.length < 100);
  const error = await rejectsWithCode(decodeImage(bomb), 'too_many_pixels');
  assert.deepEqual(error.details, { width: 50_000, height: 50_000, maxPixels: DEFAULT_MEDIA_LIMITS.maxPixels });
  await rejectsWithCode(() => decodeBmp(bomb, 1_000_000), 'too_many_pixels');
});

test('a pixel pointing past the end of the palette is refused as corrupt, stored plainly or as RLE', async () => {
  const palette: Rgb[] = [[0, 0, 0], [255, 255, 255], [128, 128, 128], [1, 2, 3]];
  const plain = buildBmp({ width: 4, height: 1, bitsPerPixel: 8, palette, colorsUsed: 4, rows: [[0, 1, 9, 2]] });
  const error = await rejectsWithCode(decodeImage(plain, TINY), 'corrupt_image');
  assert.deepEqual([error.details.index, error.details.paletteSize], [9, 4]);
  const rle = buildBmp({ width: 4, height: 1, bitsPerPixel: 8, compression: BI_RLE8, palette, pixelData: Buffer.from([4, 7, 0, 1]) });
  await rejectsWithCode(decodeImage(rle, TINY), 'corrupt_image');
});

test('BMP variants I cannot read are refused as unsupported with a sentence that says why', async () => {
  const wrapped = (compression: number) => buildBmp({ width: 4, height: 4, bitsPerPixel: 0, compression, pixelData: Buffer.alloc(64) });
  const png = await rejectsWithCode(decodeImage(wrapped(5), TINY), 'unsupported_format');
  assert.match(png.message, /BMP wraps a PNG picture.*save it as a normal JPEG or PNG/);
  const jpeg = await rejectsWithCode(decodeImage(wrapped(4), TINY), 'unsupported_format');
  assert.match(jpeg.message, /JPEG/);
});

test('damaged BMP headers are refused as corrupt with the reason in the details', async () => {
  const good = () => buildBmp({ width: 4, height: 4, bitsPerPixel: 24, rows: grid(4, 4, () => 0x102030) });
  const damaged: Record<string, Buffer> = {
    'header cut short': good().subarray(0, 30),
    'zero width': withUInt32(good(), 18, 0),
    'unknown compression': withUInt32(good(), 30, 9),
    'pixel offset past the end': withUInt32(good(), 10, 10_000),
    'pixel offset inside the header': withUInt32(good(), 10, 20),
    'bit depth not matching RLE8': withUInt32(good(), 30, BI_RLE8),
    'mask with gaps': buildBmp({ width: 1, height: 1, bitsPerPixel: 16, compression: BI_BITFIELDS, masks: [0xf00f, 0x0ff0, 0], rows: [[1]] }),
    'RLE stream ending early': buildBmp({ width: 4, height: 2, bitsPerPixel: 8, compression: BI_RLE8, palette: [[0, 0, 0]], pixelData: Buffer.from([4, 0, 0, 0]) }),
  };
  for (const [name, bytes] of Object.entries(damaged)) {
    const error = await rejectsWithCode(decodeImage(bytes, TINY), 'corrupt_image').catch((failure: unknown) => {
      throw new Error(`${name}: ${String(failure)}`);
    });
    assert.match(String(error.details.reason), /BMP|pixel data/, name);
  }
});

function withUInt32(bytes: Buffer, offset: number, value: number): Buffer {
  bytes.writeUInt32LE(value, offset);
  return bytes;
}

test('a real photo stored as a 24-bit BMP (written by this test) decodes like the JPEG it came from', async () => {
  const jpeg = await readFile(jenniePhoto);
  const { data, info } = await sharp(jpeg).autoOrient().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  const rows = grid(info.width, info.height, (x, y) => {
    const at = (y * info.width + x) * 3;
    return packedRgb([data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0]);
  });
  const fromBmp = await decodeImage(buildBmp({ width: info.width, height: info.height, bitsPerPixel: 24, rows }));
  const fromJpeg = await decodeImage(jpeg);
  assert.deepEqual([fromBmp.width, fromBmp.height, fromBmp.format], [fromJpeg.width, fromJpeg.height, 'bmp']);
  assert.ok(fromBmp.rgb.equals(fromJpeg.rgb), 'the BMP and JPEG rasters differ');
});
