import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { ERRORS, IdolensError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { DecodedImage, MediaLimits } from '../../core/types.ts';
import {
  DEFAULT_MEDIA_LIMITS, cropThumbnailJpeg, decodeImage, readImageFile, sniffImageFormat,
} from '../../core/media/index.ts';
import { crc32 } from '../helpers/crc32.ts';
import { pngChunk } from '../helpers/png.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const facesDir = path.resolve(repoRoot, '..', 'shared', 'faces');
if (!existsSync(facesDir)) throw new Error(`Real face photos are missing: expected them in ${facesDir}`);
const jenniePhoto = path.join(facesDir, 'blackpink_celebfr', 'jennie', '1230990_NgtN.jpg');
const bigJenniePhoto = path.join(facesDir, 'blackpink_celebfr', 'jennie', 'Jennie-Blackpink.jpg');

const tempDir = await mkdtemp(path.join(os.tmpdir(), 'idolens-media-'));
after(() => rm(tempDir, { recursive: true, force: true }));

type Rgb = { r: number; g: number; b: number };
const RED: Rgb = { r: 255, g: 0, b: 0 };
const BLUE: Rgb = { r: 0, g: 0, b: 255 };
const ORANGE: Rgb = { r: 200, g: 100, b: 50 };

function solid(width: number, height: number, colour: Rgb): Sharp {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

async function rejectsWithCode(work: Promise<unknown>, code: ErrorCode): Promise<IdolensError> {
  let caught: unknown;
  await assert.rejects(work, (error: unknown) => {
    caught = error;
    return error instanceof IdolensError && error.code === code;
  });
  assert.ok(caught instanceof IdolensError);
  return caught;
}

function pixelAt(image: DecodedImage, x: number, y: number): Rgb {
  const offset = (y * image.width + x) * 3;
  return { r: image.rgb[offset] ?? -1, g: image.rgb[offset + 1] ?? -1, b: image.rgb[offset + 2] ?? -1 };
}

function assertColourNear(actual: Rgb, expected: Rgb, tolerance: number): void {
  const close = Math.abs(actual.r - expected.r) <= tolerance && Math.abs(actual.g - expected.g) <= tolerance
    && Math.abs(actual.b - expected.b) <= tolerance;
  assert.ok(close, `expected ${JSON.stringify(actual)} to be within ${tolerance} of ${JSON.stringify(expected)}`);
}

/** A real PNG whose header declares a huge 1-bit image; its zero rows deflate to a few KB. */
function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header), pngChunk('IDAT', zlib.deflateSync(rows, { level: 9 })), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

test('zero bytes are refused as an empty file', async () => {
  await rejectsWithCode(decodeImage(new Uint8Array(0)), 'empty_file');
});

test('a text file renamed .jpg is refused as an unsupported format', async () => {
  const fakePhoto = path.join(tempDir, 'holiday.jpg');
  await writeFile(fakePhoto, 'these are my notes, not a photo\n'.repeat(20));
  await rejectsWithCode(decodeImage(await readImageFile(fakePhoto)), 'unsupported_format');
});

test('an HTML page and a PDF are refused as unsupported formats', async () => {
  const html = Buffer.from('<!DOCTYPE html><html><body><img src="jennie.jpg"></body></html>');
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
  const error = await rejectsWithCode(decodeImage(html), 'unsupported_format');
  assert.equal(error.message, ERRORS.unsupported_format.message);
  await rejectsWithCode(decodeImage(pdf), 'unsupported_format');
});

test('a truncated real JPEG is refused as corrupt, keeping the decoder message out of the user message', async () => {
  const photo = await readFile(jenniePhoto);
  const error = await rejectsWithCode(decodeImage(photo.subarray(0, Math.floor(photo.length * 0.6))), 'corrupt_image');
  assert.doesNotMatch(error.message, /vips|jpeg/i);
  assert.match(String(error.details.reason), /\w/);
});

test('a decompression bomb is refused from its header before any pixel is decoded', async () => {
  const bomb = pngBomb(12_000, 12_000);
  assert.ok(bomb.length < 100_000, `bomb should be tiny, got ${bomb.length} bytes`);
  const error = await rejectsWithCode(decodeImage(bomb), 'too_many_pixels');
  assert.deepEqual(error.details, { width: 12_000, height: 12_000, maxPixels: DEFAULT_MEDIA_LIMITS.maxPixels });
});

test('bytes over the size limit are refused as too large', async () => {
  const png = await solid(64, 64, ORANGE).png().toBuffer();
  const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: 100 };
  const error = await rejectsWithCode(decodeImage(png, limits), 'too_large');
  assert.deepEqual(error.details, { bytes: png.length, maxBytes: 100 });
});

test('a picture whose shorter side is below the minimum is refused as too small', async () => {
  await rejectsWithCode(decodeImage(await solid(20, 20, ORANGE).png().toBuffer()), 'too_small');
  await rejectsWithCode(decodeImage(await solid(600, 16, ORANGE).png().toBuffer()), 'too_small');
});

for (const encoding of ['gif', 'webp'] as const) {
  test(`an animated ${encoding.toUpperCase()} decodes its first frame only`, async () => {
    const frames = await Promise.all([RED, BLUE].map((colour) => solid(48, 40, colour).png().toBuffer()));
    const animation = await sharp(frames, { join: { animated: true } })[encoding]().toBuffer();
    const image = await decodeImage(animation);
    assert.equal(image.firstFrameOnly, true);
    assert.deepEqual([image.width, image.height, image.originalWidth, image.originalHeight], [48, 40, 48, 40]);
    assertColourNear(pixelAt(image, 24, 20), RED, 8);
  });
}

test('EXIF orientation is applied, so a 40x20 JPEG tagged orientation 6 is 20x40 upright', async () => {
  const leftRedRightBlue = await sharp({ create: { width: 40, height: 20, channels: 3, background: BLUE } })
    .composite([{ input: await solid(20, 20, RED).png().toBuffer(), left: 0, top: 0 }])
    .jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
  const image = await decodeImage(leftRedRightBlue, { ...DEFAULT_MEDIA_LIMITS, minSide: 16 });
  assert.deepEqual([image.width, image.height, image.originalWidth, image.originalHeight], [20, 40, 20, 40]);
  assertColourNear(pixelAt(image, 10, 5), RED, 30);
  assertColourNear(pixelAt(image, 10, 35), BLUE, 30);
});

const ENCODERS = {
  jpeg: (image: Sharp) => image.jpeg({ quality: 95 }),
  png: (image: Sharp) => image.png(),
  webp: (image: Sharp) => image.webp({ quality: 95 }),
  avif: (image: Sharp) => image.avif({ quality: 90 }),
  tiff: (image: Sharp) => image.tiff(),
  gif: (image: Sharp) => image.gif(),
} as const;

for (const [format, encode] of Object.entries(ENCODERS)) {
  test(`a ${format.toUpperCase()} file decodes to packed RGB with its format detected`, async () => {
    const image = await decodeImage(await encode(solid(64, 48, ORANGE)).toBuffer());
    assert.equal(image.format, format);
    assert.deepEqual([image.width, image.height, image.scale, image.firstFrameOnly], [64, 48, 1, false]);
    assert.equal(image.rgb.length, 64 * 48 * 3);
    assertColourNear(pixelAt(image, 32, 24), ORANGE, 12);
  });
}

test('16-bit, CMYK, greyscale and transparent inputs become 8-bit RGB on white', async () => {
  const grey = solid(40, 40, { r: 100, g: 100, b: 100 });
  const transparent = sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  const inputs = {
    grey: [await grey.clone().toColourspace('b-w').png().toBuffer(), { r: 100, g: 100, b: 100 }],
    grey16: [await grey.clone().toColourspace('grey16').png().toBuffer(), { r: 100, g: 100, b: 100 }],
    rgb16: [await grey.clone().toColourspace('rgb16').png().toBuffer(), { r: 100, g: 100, b: 100 }],
    cmyk: [await grey.clone().toColourspace('cmyk').jpeg().toBuffer(), { r: 100, g: 100, b: 100 }],
    transparent: [await transparent.clone().png().toBuffer(), { r: 255, g: 255, b: 255 }],
    greyWithAlpha: [await transparent.clone().toColourspace('b-w').png().toBuffer(), { r: 255, g: 255, b: 255 }],
  } as const;
  for (const [name, [bytes, expected]] of Object.entries(inputs)) {
    const image = await decodeImage(bytes);
    assert.equal(image.rgb.length, 40 * 40 * 3, name);
    assertColourNear(pixelAt(image, 20, 20), expected, 15);
  }
});

test('a real photo larger than the analysis side is downscaled and reports its scale', async () => {
  const image = await decodeImage(await readFile(bigJenniePhoto));
  assert.deepEqual([image.originalWidth, image.originalHeight], [3323, 1871]);
  assert.equal(image.width, DEFAULT_MEDIA_LIMITS.maxAnalysisSide);
  assert.ok(Math.abs(image.height - (1871 * 2048) / 3323) <= 1, `height ${image.height}`);
  assert.equal(image.scale, 3323 / 2048);
  assert.equal(image.rgb.length, image.width * image.height * 3);
});

test('a real photo decodes to packed RGB at its own size', async () => {
  const image = await decodeImage(await readFile(jenniePhoto));
  assert.equal(image.format, 'jpeg');
  assert.equal(image.scale, 1);
  assert.equal(image.rgb.length, image.width * image.height * 3);
});

test('the test CRC-32 helper gives the standard check value and matches a real PNG chunk', async () => {
  assert.equal(crc32(Buffer.from('123456789', 'ascii')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const png = await solid(8, 8, ORANGE).png().toBuffer();
  const ihdr = png.subarray(12, 12 + 4 + 13);
  assert.equal(crc32(ihdr), png.readUInt32BE(12 + 4 + 13));
});

test('sniffing reads magic bytes, including AVIF and HEIC brands', () => {
  const ftyp = (...brands: string[]) => {
    const box = Buffer.alloc(16 + 4 * (brands.length - 1));
    box.writeUInt32BE(box.length, 0);
    box.write('ftyp', 4, 'ascii');
    brands.forEach((brand, index) => box.write(brand, index === 0 ? 8 : 12 + 4 * index, 'ascii'));
    return box;
  };
  assert.equal(sniffImageFormat(ftyp('avif', 'mif1', 'miaf')), 'avif');
  assert.equal(sniffImageFormat(ftyp('mif1', 'avif')), 'avif');
  assert.equal(sniffImageFormat(ftyp('heic', 'mif1')), 'heif');
  assert.equal(sniffImageFormat(ftyp('isom', 'mp41')), null);
  assert.equal(sniffImageFormat(Buffer.from('BMW is a car brand, not a bitmap.')), null);
  assert.equal(sniffImageFormat(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8])), 'tiff');
});

test('reading a missing file or a folder is refused as not found', async () => {
  await rejectsWithCode(readImageFile(path.join(tempDir, 'nope.jpg')), 'not_found');
  const folder = path.join(tempDir, 'photos');
  await mkdir(folder, { recursive: true });
  const error = await rejectsWithCode(readImageFile(folder), 'not_found');
  assert.match(error.message, /folder/);
});

test('a file over the size limit is refused from its size without being read', async () => {
  const huge = path.join(tempDir, 'huge.jpg');
  await writeFile(huge, '');
  await truncate(huge, 4 * 1024 ** 3); // sparse: nothing is written to disk
  const error = await rejectsWithCode(readImageFile(huge), 'too_large');
  assert.equal(error.details.bytes, 4 * 1024 ** 3);
});

test('reading a real photo returns its exact bytes', async () => {
  assert.deepEqual(Buffer.from(await readImageFile(jenniePhoto)), await readFile(jenniePhoto));
});

test('a thumbnail crops the face box given in original coordinates from a downscaled image', async () => {
  const face = await solid(400, 400, RED).png().toBuffer();
  const original = await solid(4000, 2000, BLUE).composite([{ input: face, left: 3000, top: 1400 }]).jpeg().toBuffer();
  const image = await decodeImage(original, { ...DEFAULT_MEDIA_LIMITS, maxAnalysisSide: 1000 });
  assert.equal(image.scale, 4);
  const thumbnail = await cropThumbnailJpeg(image, { x: 3000, y: 1400, width: 400, height: 400 });
  const { data, info } = await sharp(thumbnail).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.format, info.width, info.height], ['raw', 112, 112]);
  assert.equal((await sharp(thumbnail).metadata()).format, 'jpeg');
  const centre = (56 * 112 + 56) * 3;
  assertColourNear({ r: data[centre] ?? -1, g: data[centre + 1] ?? -1, b: data[centre + 2] ?? -1 }, RED, 30);
  const corner = 0;
  assertColourNear({ r: data[corner] ?? -1, g: data[corner + 1] ?? -1, b: data[corner + 2] ?? -1 }, BLUE, 30);
});

test('a thumbnail of a face at the edge stays square and inside the image', async () => {
  const image = await decodeImage(await solid(200, 100, ORANGE).png().toBuffer());
  const thumbnail = await cropThumbnailJpeg(image, { x: 150, y: 40, width: 80, height: 80 }, 64);
  const metadata = await sharp(thumbnail).metadata();
  assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', 64, 64]);
});
