/**
 * Inputs for the integration tests: a fixed choice of real photos from the shared face sets (by name, so a
 * run is repeatable) and bad or tricky files generated from them in a temp directory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { facePhoto } from './faces-dir.ts';
import { pngChunk } from './png.ts';

export const BLACKPINK = ['jennie', 'jisoo', 'lisa', 'rose'] as const;
export type BlackpinkMember = (typeof BLACKPINK)[number];

/** The first seven photos of each member folder in name order: four to enroll, three held out. */
const BLACKPINK_FILES: Readonly<Record<BlackpinkMember, readonly string[]>> = {
  jennie: ['1230990_NgtN.jpg', '137641_eQUo.jpg', '170517_Jennie_Kim_Blackpink_04.jpg', '1771561_wKKh.jpg', '1772892_NNML.jpg', '198916_ENMI.jpg', '198916_HFlL.jpg'],
  jisoo: ['1229881_kaqQ.jpg', '1367397_aKDs.jpg', '137641_vRSB.jpg', '1772892_upff.jpg', '198025_YEMN.jpg', '198470_OFsD.jpg', '198470_aXZZ.jpg'],
  lisa: ['1229881_QDun.jpg', '1739331837232-6d2a3d1d1ab94ec3a1992fd28dbe4b74-800x669.webp', '198470_aXoe.jpg', '198470_qdpW.jpg', '198916_fQMs.jpg', '20240314_Lisa_Manoban_07.jpg', '20240911_Lisa_MTV_VMAs_06_(cropped).png'],
  rose: ['0035e3eb6d6d4131a83a20f750af5cc7~noop.jpeg', '1229881_arKF.jpg', '1229881_zjaZ.jpg', '1230990_IuwV.jpg', '1232100_opPV.jpg', '1771561_WvPI.jpg', '1771561_YNio.jpg'],
};
const ENROLL_COUNT = 4;

/** A member's name as enrolled: "jennie" → "Jennie". */
export function memberName(member: string): string {
  return `${member[0]?.toUpperCase() ?? ''}${member.slice(1)}`;
}

export function enrollPhotosOf(member: BlackpinkMember, count = ENROLL_COUNT): string[] {
  return BLACKPINK_FILES[member].slice(0, count).map((file) => facePhoto('blackpink_celebfr', member, file));
}

/** One photo of the member by its place in the fixed choice (0 to 3 are enrolled, 4 to 6 held out). */
export function blackpinkPhoto(member: BlackpinkMember, index: number): string {
  const file = BLACKPINK_FILES[member][index];
  if (file === undefined) throw new RangeError(`Only ${BLACKPINK_FILES[member].length} photos of ${member} are chosen.`);
  return facePhoto('blackpink_celebfr', member, file);
}

export function heldOutPhotosOf(member: BlackpinkMember): string[] {
  return BLACKPINK_FILES[member].slice(ENROLL_COUNT).map((file) => facePhoto('blackpink_celebfr', member, file));
}

/**
 * People who are not in BLACKPINK, each in a photo where the accurate detector finds the face. (Most of the
 * 150 px bbt_faceapijs crops are cropped so tightly that no face is detected at all; these two are found.)
 */
export function strangerPhotos(): string[] {
  return [
    facePhoto('deepface_testset', 'person01_img26', 'img26.jpg'),
    facePhoto('deepface_testset', 'person06_img16', 'img16.jpg'),
    facePhoto('bbt_faceapijs', 'raj', 'raj2.png'),
    facePhoto('bbt_faceapijs', 'howard', 'howard4.png'),
  ];
}

/** Jisoo and Rosé side by side (600x833). */
export const GROUP_PHOTO = { file: facePhoto('blackpink_celebfr', '_multi_face', 'rose', '20180917-jisoo-rose-4.jpg'), members: ['jisoo', 'rose'] } as const;

/** A Jennie photo of 3323x1871 px: larger than the 2048 px analysis raster, so it is downscaled for detection. */
export const LARGE_PHOTO = { file: facePhoto('blackpink_celebfr', 'jennie', 'Jennie-Blackpink.jpg'), member: 'jennie', width: 3323, height: 1871 } as const;

/** Three strangers' faces of similar size (1920x1280). */
export const SEVERAL_FACES_PHOTO = facePhoto('multiface_vladmandic', '_multi_face_unlabeled', 'sample1.jpg');

/** A solo portrait whose face is about half the picture wide (1024x1024). */
export const PORTRAIT = facePhoto('blackpink_celebfr', 'jennie', '1772892_NNML.jpg');

export async function writeFixture(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

/** The first `fraction` of a real file's bytes, as an interrupted download leaves it. */
export async function truncatedCopy(source: string, fraction: number): Promise<Buffer> {
  const bytes = await readFile(source);
  return bytes.subarray(0, Math.floor(bytes.length * fraction));
}

/** A valid, tiny PNG whose header declares `width`x`height` (a decompression bomb if ever decoded). */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, adaptive filter, no interlace
  // One row of zeros (filter byte + pixels) compresses to a few bytes; rows past it are simply missing.
  const firstRow = zlib.deflateSync(Buffer.alloc(width + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header), pngChunk('IDAT', firstRow), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A smooth colour gradient: a valid photo with nothing face-like in it. */
export async function gradientJpeg(size: number): Promise<Buffer> {
  const rgb = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 3;
      rgb[offset] = Math.round((255 * x) / size);
      rgb[offset + 1] = Math.round((255 * y) / size);
      rgb[offset + 2] = 160;
    }
  }
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** The portrait shrunk to `width` px and placed on a plain canvas, so its face is found but tiny. */
export async function tinyFaceJpeg(portrait: string, width: number, canvas: number): Promise<Buffer> {
  const small = await sharp(portrait).resize({ width }).toBuffer();
  const background = { r: 128, g: 128, b: 128 };
  return sharp({ create: { width: canvas, height: canvas, channels: 3, background } })
    .composite([{ input: small, gravity: 'centre' }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** A two-frame animated GIF of the portrait and a blank frame, in the given order. */
export async function twoFrameGif(portrait: string, side: number, order: 'portrait-first' | 'blank-first'): Promise<Buffer> {
  const face = await sharp(portrait).resize({ width: side, height: side, fit: 'cover' }).removeAlpha().raw().toBuffer();
  const blank = Buffer.alloc(side * side * 3, 255);
  const frames = order === 'portrait-first' ? [face, blank] : [blank, face];
  return sharp(Buffer.concat(frames), { raw: { width: side, height: side * 2, channels: 3, pageHeight: side } })
    .gif({ delay: [500, 500] })
    .toBuffer();
}

/** The same shot as a different file: resized to `scale` and re-encoded at a lower JPEG quality. */
export async function nearCopyJpeg(source: string, scale: number, quality: number): Promise<Buffer> {
  const { width } = await sharp(source).metadata();
  return sharp(source).resize({ width: Math.round(width * scale) }).jpeg({ quality }).toBuffer();
}
