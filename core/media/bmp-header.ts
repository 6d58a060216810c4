/** Reading and cross-checking BMP headers. Offsets are from the start of the file. */
import { IdolensError } from '../errors.ts';

export type PixelEncoding = 'rgb' | 'rle8' | 'rle4' | 'bitfields';

export interface ChannelMasks {
  red: number;
  green: number;
  blue: number;
  alpha: number;
}

/** Everything the header promises, checked for consistency but not yet against the pixel data. */
export interface BmpLayout {
  width: number;
  height: number;
  topDown: boolean;
  bitsPerPixel: number;
  encoding: PixelEncoding;
  masks: ChannelMasks;
  /** Packed RGB, 3 bytes per entry; empty above 8 bits per pixel. */
  palette: Uint8Array;
  pixelOffset: number;
}

const FILE_HEADER_BYTES = 14;
const CORE_HEADER_BYTES = 12;
const INFO_HEADER_BYTES = 40;
const OS2_HEADER_BYTES = 64;
/** Smallest header (BITMAPV3INFOHEADER) that carries its own alpha mask. */
const HEADER_WITH_ALPHA_MASK_BYTES = 56;
const SUPPORTED_HEADER_BYTES = new Set([CORE_HEADER_BYTES, INFO_HEADER_BYTES, 52, 56, OS2_HEADER_BYTES, 108, 124]);
const COMPRESSION = { rgb: 0, rle8: 1, rle4: 2, bitfields: 3, jpeg: 4, png: 5, alphaBitfields: 6 } as const;
const CMYK_COMPRESSIONS = new Set([11, 12, 13]);
const UNCOMPRESSED_DEPTHS = new Set([1, 2, 4, 8, 16, 24, 32]);
const DEFAULT_MASKS: Readonly<Record<number, ChannelMasks>> = {
  16: { red: 0x7c00, green: 0x03e0, blue: 0x001f, alpha: 0 },
  32: { red: 0xff0000, green: 0x00ff00, blue: 0x0000ff, alpha: 0 },
};
const NO_MASKS: ChannelMasks = { red: 0, green: 0, blue: 0, alpha: 0 };
const SAVE_AS = 'save it as a normal JPEG or PNG and try again.';

interface HeaderFields {
  headerBytes: number;
  width: number;
  /** Negative means the rows are stored top-down. */
  signedHeight: number;
  bitsPerPixel: number;
  compression: number;
  colorsUsed: number;
}

/** Parses and cross-checks the headers, masks and palette; the pixel data itself is not looked at. */
export function readBmpLayout(bytes: Uint8Array): BmpLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { headerBytes, width, signedHeight, bitsPerPixel, compression, colorsUsed } = readHeaderFields(bytes, view);
  const encoding = pixelEncoding(compression, bitsPerPixel, headerBytes);
  const maskBytes = headerBytes === INFO_HEADER_BYTES && encoding === 'bitfields'
    ? (compression === COMPRESSION.alphaBitfields ? 16 : 12) : 0;
  const paletteStart = FILE_HEADER_BYTES + headerBytes + maskBytes;
  if (paletteStart > bytes.length) throw corruptBmp('the BMP colour masks are cut short');
  const pixelOffset = view.getUint32(10, true);
  if (pixelOffset < paletteStart) throw corruptBmp('the pixel data overlaps the BMP header', { pixelOffset });
  const masks = encoding === 'bitfields'
    ? readMasks(view, headerBytes, compression, bitsPerPixel)
    : (DEFAULT_MASKS[bitsPerPixel] ?? NO_MASKS);
  const entryBytes = headerBytes === CORE_HEADER_BYTES ? 3 : 4;
  const declaredColours = Math.min(colorsUsed || 256, 2 ** bitsPerPixel);
  const palette = bitsPerPixel <= 8 ? readPalette(bytes, paletteStart, pixelOffset, entryBytes, declaredColours) : new Uint8Array(0);
  const height = Math.abs(signedHeight);
  return { width, height, topDown: signedHeight < 0, bitsPerPixel, encoding, masks, palette, pixelOffset };
}

function readHeaderFields(bytes: Uint8Array, view: DataView): HeaderFields {
  if (bytes.length < FILE_HEADER_BYTES + 4 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw corruptBmp('the BMP file header is missing');
  const headerBytes = view.getUint32(FILE_HEADER_BYTES, true);
  if (!SUPPORTED_HEADER_BYTES.has(headerBytes)) throw corruptBmp('the BMP info header has an unknown size', { headerBytes });
  if (FILE_HEADER_BYTES + headerBytes > bytes.length) throw corruptBmp('the BMP info header is cut short');
  const isCore = headerBytes === CORE_HEADER_BYTES;
  // The core header stores unsigned 16-bit sizes and has no compression or colour count.
  const fields: HeaderFields = {
    headerBytes,
    width: isCore ? view.getUint16(18, true) : view.getInt32(18, true),
    signedHeight: isCore ? view.getUint16(20, true) : view.getInt32(22, true),
    bitsPerPixel: view.getUint16(isCore ? 24 : 28, true),
    compression: isCore ? COMPRESSION.rgb : view.getUint32(30, true),
    colorsUsed: isCore ? 0 : view.getUint32(46, true),
  };
  if (fields.width <= 0 || fields.signedHeight === 0 || fields.signedHeight === -(2 ** 31)) {
    throw corruptBmp('the BMP declares an impossible size', { width: fields.width, height: fields.signedHeight });
  }
  return fields;
}

function pixelEncoding(compression: number, bitsPerPixel: number, headerBytes: number): PixelEncoding {
  const depthMismatch = () => corruptBmp('the BMP bit depth does not match its compression', { compression, bitsPerPixel });
  if (headerBytes === OS2_HEADER_BYTES && compression > COMPRESSION.rle4) {
    // OS/2 reuses the numbers: 3 is Huffman and 4 is 24-bit RLE; nothing above 4 exists.
    if (compression > 4) throw corruptBmp('the BMP uses an unknown compression', { compression });
    throw new IdolensError('unsupported_format', `This is an OS/2 compressed bitmap, which I cannot read; ${SAVE_AS}`, { compression });
  }
  switch (compression) {
    case COMPRESSION.rgb:
      if (bitsPerPixel === 64) throw new IdolensError('unsupported_format', `This is a 64-bit BMP, which I cannot read; ${SAVE_AS}`);
      if (!UNCOMPRESSED_DEPTHS.has(bitsPerPixel)) throw depthMismatch();
      return 'rgb';
    case COMPRESSION.rle8:
      if (bitsPerPixel !== 8) throw depthMismatch();
      return 'rle8';
    case COMPRESSION.rle4:
      if (bitsPerPixel !== 4) throw depthMismatch();
      return 'rle4';
    case COMPRESSION.bitfields:
    case COMPRESSION.alphaBitfields:
      if (bitsPerPixel !== 16 && bitsPerPixel !== 32) throw depthMismatch();
      return 'bitfields';
    case COMPRESSION.jpeg:
    case COMPRESSION.png: {
      const inner = compression === COMPRESSION.jpeg ? 'JPEG' : 'PNG';
      throw new IdolensError('unsupported_format', `This BMP wraps a ${inner} picture, which I cannot read; ${SAVE_AS}`, { compression });
    }
    default:
      if (CMYK_COMPRESSIONS.has(compression)) {
        throw new IdolensError('unsupported_format', `This is a CMYK printer bitmap, which I cannot read; ${SAVE_AS}`, { compression });
      }
      throw corruptBmp('the BMP uses an unknown compression', { compression });
  }
}

/** Masks follow a 40-byte header, or sit inside the larger headers at the same offset. */
function readMasks(view: DataView, headerBytes: number, compression: number, bitsPerPixel: number): ChannelMasks {
  const hasAlphaMask = headerBytes >= HEADER_WITH_ALPHA_MASK_BYTES
    || (headerBytes === INFO_HEADER_BYTES && compression === COMPRESSION.alphaBitfields);
  const masks: ChannelMasks = {
    red: view.getUint32(54, true),
    green: view.getUint32(58, true),
    blue: view.getUint32(62, true),
    alpha: hasAlphaMask ? view.getUint32(66, true) : 0,
  };
  if (masks.red === 0 && masks.green === 0 && masks.blue === 0) throw corruptBmp('the BMP colour masks are all empty');
  for (const mask of Object.values(masks)) {
    if (bitsPerPixel === 16 && mask > 0xffff) throw corruptBmp('a BMP colour mask is wider than a pixel', { mask });
    if (mask !== 0 && !isContiguous(mask)) throw corruptBmp('a BMP colour mask has gaps', { mask });
  }
  return masks;
}

function isContiguous(mask: number): boolean {
  const bits = mask >>> lowestSetBit(mask);
  return (bits & (bits + 1)) === 0;
}

export function lowestSetBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** Uses the entries that fit before the pixel data: writers often declare more than they store. */
function readPalette(bytes: Uint8Array, start: number, pixelOffset: number, entryBytes: number, declared: number): Uint8Array {
  const entries = Math.min(declared, Math.floor((pixelOffset - start) / entryBytes));
  if (entries === 0) throw corruptBmp('the BMP colour palette is missing');
  if (start + entries * entryBytes > bytes.length) throw corruptBmp('the BMP colour palette is cut short');
  const palette = new Uint8Array(entries * 3);
  for (let entry = 0; entry < entries; entry++) {
    const at = start + entry * entryBytes;
    palette.set([bytes[at + 2] ?? 0, bytes[at + 1] ?? 0, bytes[at] ?? 0], entry * 3);
  }
  return palette;
}

/** The user sees the usual damaged-photo sentence; `reason` says what exactly is wrong, for logs and JSON. */
export function corruptBmp(reason: string, details: Record<string, number> = {}): IdolensError {
  return new IdolensError('corrupt_image', undefined, { reason, ...details });
}
