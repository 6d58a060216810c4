import type { ImageFormat } from '../types.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
/** Sizes of the BMP info headers that exist (core, v2 to v5); `BM` alone is too weak a signature. */
const BMP_INFO_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

/** Detects an image format from its first bytes. The file name is never trusted. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (asciiAt(bytes, 0, 6) === 'GIF87a' || asciiAt(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (asciiAt(bytes, 0, 4) === 'RIFF' && asciiAt(bytes, 8, 4) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (asciiAt(bytes, 4, 4) === 'ftyp') return sniffIsoBrands(bytes);
  if (looksLikeBmp(bytes)) return 'bmp';
  return null;
}

/** AVIF and HEIC share the ISO media container; the `ftyp` box lists its brands. */
function sniffIsoBrands(bytes: Uint8Array): ImageFormat | null {
  const brands = ftypBrands(bytes);
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  return null;
}

/** Major brand followed by the compatible brands (the minor version at offset 12 is skipped). */
function ftypBrands(bytes: Uint8Array): string[] {
  const boxSize = readUint32BigEndian(bytes, 0);
  const end = Math.min(bytes.length, boxSize);
  const brands = [asciiAt(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(asciiAt(bytes, offset, 4));
  return brands;
}

function looksLikeBmp(bytes: Uint8Array): boolean {
  if (asciiAt(bytes, 0, 2) !== 'BM' || bytes.length < 18) return false;
  const infoHeaderSize = (bytes[14] ?? 0) | ((bytes[15] ?? 0) << 8) | ((bytes[16] ?? 0) << 16) | ((bytes[17] ?? 0) << 24);
  return BMP_INFO_HEADER_SIZES.has(infoHeaderSize);
}

export function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((value, index) => bytes[index] === value);
}

/** `length` bytes at `offset` as Latin-1 text ('' when the file is shorter). */
export function asciiAt(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function readUint32BigEndian(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 4) return 0;
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
}
