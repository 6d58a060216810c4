import { IdolensError } from '../errors.ts';
import type { BmpLayout } from './bmp-header.ts';
import { corruptBmp, lowestSetBit, readBmpLayout } from './bmp-header.ts';

/** Decoded BMP pixels, packed row by row from the top: RGB, or RGBA when the file has real transparency. */
export interface BmpBitmap {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** A mask turned into a lookup from the masked bits to 0..255. */
interface ChannelReader {
  mask: number;
  shift: number;
  /** Drops low bits of masks wider than 16 bits, so the lookup stays small. */
  extraShift: number;
  levels: Uint8Array;
}

/** Reads only the header: the declared size, after checking the header is consistent. */
export function readBmpSize(bytes: Uint8Array): { width: number; height: number } {
  const { width, height } = readBmpLayout(bytes);
  return { width, height };
}

/**
 * Decodes an uncompressed, bit-field or RLE BMP. Every size is checked against `maxPixels` and the
 * buffer length before any pixel memory is allocated.
 */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): BmpBitmap {
  const layout = readBmpLayout(bytes);
  const { width, height } = layout;
  if (width * height > maxPixels) throw new IdolensError('too_many_pixels', undefined, { width, height, maxPixels });
  if (layout.pixelOffset >= bytes.length) throw corruptBmp('the pixel data starts past the end of the file');
  const pixels = bytes.subarray(layout.pixelOffset);
  if (layout.encoding === 'rle8' || layout.encoding === 'rle4') {
    return paletteBitmap(decodeRle(pixels, layout), layout);
  }
  checkUncompressedLength(pixels, layout);
  if (layout.bitsPerPixel <= 8) return paletteBitmap(readIndexedRows(pixels, layout), layout);
  if (layout.bitsPerPixel === 24) return readBgrRows(pixels, layout);
  return readBitfieldRows(pixels, layout);
}

function rowStride(layout: BmpLayout): number {
  return Math.floor((layout.bitsPerPixel * layout.width + 31) / 32) * 4;
}

/** Many writers leave out the padding of the last row, so only its pixel bytes are required. */
function checkUncompressedLength(pixels: Uint8Array, layout: BmpLayout): void {
  const lastRowBytes = Math.ceil((layout.bitsPerPixel * layout.width) / 8);
  const expectedBytes = rowStride(layout) * (layout.height - 1) + lastRowBytes;
  if (pixels.length < expectedBytes) {
    throw corruptBmp('the BMP pixel data is cut short', { expectedBytes, availableBytes: pixels.length });
  }
}

/** Index of the output row (counted from the top) that the `fileRow`-th stored row holds. */
function outputRow(fileRow: number, layout: BmpLayout): number {
  return layout.topDown ? fileRow : layout.height - 1 - fileRow;
}

function readIndexedRows(pixels: Uint8Array, layout: BmpLayout): Uint8Array {
  const { width, height, bitsPerPixel } = layout;
  const stride = rowStride(layout);
  const valueMask = (1 << bitsPerPixel) - 1;
  const indices = new Uint8Array(width * height);
  for (let fileRow = 0; fileRow < height; fileRow++) {
    const rowStart = fileRow * stride;
    const outStart = outputRow(fileRow, layout) * width;
    for (let x = 0; x < width; x++) {
      const bit = x * bitsPerPixel;
      const byte = pixels[rowStart + (bit >>> 3)] ?? 0;
      // Pixels narrower than a byte are packed from the most significant bit.
      indices[outStart + x] = (byte >>> (8 - bitsPerPixel - (bit & 7))) & valueMask;
    }
  }
  return indices;
}

/** RLE streams run bottom-up unless the height is negative; skipped pixels keep palette entry 0. */
function decodeRle(pixels: Uint8Array, layout: BmpLayout): Uint8Array {
  const { width, height } = layout;
  const nibbles = layout.encoding === 'rle4';
  const indices = new Uint8Array(width * height);
  let position = 0;
  let x = 0;
  let fileRow = 0;
  const take = (count: number): Uint8Array => {
    if (position + count > pixels.length) throw corruptBmp('the BMP compressed data ends early', { fileRow });
    position += count;
    return pixels.subarray(position - count, position);
  };
  // Pixels past the row end are dropped; x and fileRow only grow, so each pixel is written once at most.
  const writeRun = (count: number, indexAt: (i: number) => number): void => {
    const rowStart = outputRow(fileRow, layout) * width;
    for (let i = 0; i < count && x + i < width; i++) indices[rowStart + x + i] = indexAt(i);
    x += count;
  };
  while (fileRow < height) {
    const [count = 0, value = 0] = take(2);
    if (count > 0) {
      writeRun(count, (i) => (nibbles ? nibbleAt(value, i) : value));
    } else if (value === 0) {
      x = 0;
      fileRow++;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      const [right = 0, up = 0] = take(2);
      x += right;
      fileRow += up;
    } else {
      const byteCount = nibbles ? Math.ceil(value / 2) : value;
      const literal = take(byteCount);
      writeRun(value, (i) => (nibbles ? nibbleAt(literal[i >>> 1] ?? 0, i) : (literal[i] ?? 0)));
      take(byteCount & 1); // literal runs are padded to 16 bits
    }
  }
  return indices;
}

function nibbleAt(byte: number, index: number): number {
  return index % 2 === 0 ? byte >>> 4 : byte & 0x0f;
}

function paletteBitmap(indices: Uint8Array, layout: BmpLayout): BmpBitmap {
  const { palette, width, height } = layout;
  const paletteSize = palette.length / 3;
  const data = Buffer.alloc(indices.length * 3);
  for (let pixel = 0; pixel < indices.length; pixel++) {
    const index = indices[pixel] ?? 0;
    if (index >= paletteSize) throw corruptBmp('a BMP pixel uses a colour missing from the palette', { index, paletteSize });
    copyRgb(palette, index * 3, data, pixel * 3);
  }
  return { data, width, height, channels: 3 };
}

function copyRgb(source: Uint8Array, from: number, target: Buffer, to: number): void {
  target[to] = source[from] ?? 0;
  target[to + 1] = source[from + 1] ?? 0;
  target[to + 2] = source[from + 2] ?? 0;
}

function readBgrRows(pixels: Uint8Array, layout: BmpLayout): BmpBitmap {
  const { width, height } = layout;
  const stride = rowStride(layout);
  const data = Buffer.alloc(width * height * 3);
  for (let fileRow = 0; fileRow < height; fileRow++) {
    const rowStart = fileRow * stride;
    const outStart = outputRow(fileRow, layout) * width * 3;
    for (let x = 0; x < width; x++) {
      const at = rowStart + x * 3;
      data[outStart + x * 3] = pixels[at + 2] ?? 0;
      data[outStart + x * 3 + 1] = pixels[at + 1] ?? 0;
      data[outStart + x * 3 + 2] = pixels[at] ?? 0;
    }
  }
  return { data, width, height, channels: 3 };
}

/** 16- and 32-bit pixels; alpha is kept only when a mask exists and some pixel is not fully transparent. */
function readBitfieldRows(pixels: Uint8Array, layout: BmpLayout): BmpBitmap {
  const { width, height, masks } = layout;
  const view = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const pixelBytes = layout.bitsPerPixel / 8;
  const stride = rowStride(layout);
  const readPixel = (fileRow: number, x: number): number => {
    const at = fileRow * stride + x * pixelBytes;
    return pixelBytes === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
  };
  const channelReaders = [masks.red, masks.green, masks.blue].map(channelReader);
  const alphaReader = masks.alpha === 0 ? null : channelReader(masks.alpha);
  // Many writers declare an alpha mask yet leave every alpha at 0; such pictures are meant opaque.
  if (alphaReader && anyVisibleAlpha(layout, alphaReader, readPixel)) channelReaders.push(alphaReader);
  const channels = channelReaders.length === 4 ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let fileRow = 0; fileRow < height; fileRow++) {
    let out = outputRow(fileRow, layout) * width * channels;
    for (let x = 0; x < width; x++) {
      const value = readPixel(fileRow, x);
      for (const reader of channelReaders) data[out++] = readChannel(reader, value);
    }
  }
  return { data, width, height, channels };
}

function anyVisibleAlpha(layout: BmpLayout, alpha: ChannelReader, readPixel: (row: number, x: number) => number): boolean {
  for (let fileRow = 0; fileRow < layout.height; fileRow++) {
    for (let x = 0; x < layout.width; x++) if ((readPixel(fileRow, x) & alpha.mask) !== 0) return true;
  }
  return false;
}

function channelReader(mask: number): ChannelReader {
  if (mask === 0) return { mask, shift: 0, extraShift: 0, levels: new Uint8Array(1) };
  const shift = lowestSetBit(mask);
  const bits = 32 - Math.clz32(mask >>> shift);
  const extraShift = Math.max(0, bits - 16);
  const maxValue = 2 ** (bits - extraShift) - 1;
  const levels = new Uint8Array(maxValue + 1);
  for (let value = 0; value <= maxValue; value++) levels[value] = Math.round((value * 255) / maxValue);
  return { mask, shift, extraShift, levels };
}

function readChannel(reader: ChannelReader, value: number): number {
  return reader.levels[((value & reader.mask) >>> reader.shift) >>> reader.extraShift] ?? 0;
}
