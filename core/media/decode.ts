import sharp from 'sharp';
import type { Sharp, SharpOptions } from 'sharp';
import { IdolensError } from '../errors.ts';
import type { DecodedImage, ImageFormat, MediaLimits } from '../types.ts';
import { decodeBmp, readBmpSize } from './bmp.ts';
import { DEFAULT_MEDIA_LIMITS } from './limits.ts';
import { sniffImageFormat } from './sniff.ts';

const EXPORT_FORMATS_TEXT = 'JPEG, PNG, WebP, AVIF, TIFF or GIF';
const HEIC_MESSAGE = `HEIC photos (the iPhone default) are not supported; export it as ${EXPORT_FORMATS_TEXT} and try again.`;
const FRAME_FORMATS: ReadonlySet<ImageFormat> = new Set(['gif', 'webp', 'tiff']);
const WHITE = { r: 255, g: 255, b: 255 };

interface ImageHeader {
  /** Declared size as stored, before EXIF rotation. */
  storedWidth: number;
  storedHeight: number;
  uprightWidth: number;
  uprightHeight: number;
  pages: number;
}

interface RgbRaster {
  rgb: Buffer;
  width: number;
  height: number;
}

/**
 * Turns untrusted image bytes into an upright, white-backed sRGB raster no larger than
 * `limits.maxAnalysisSide`, refusing anything empty, oversized, unknown, damaged or too small.
 */
export async function decodeImage(bytes: Uint8Array, limits: MediaLimits = DEFAULT_MEDIA_LIMITS): Promise<DecodedImage> {
  const format = checkBytes(bytes, limits);
  const header = await readHeader(bytes, format);
  checkDimensions(header, limits);
  const raster = await decodeRaster(bytes, format, limits);
  return {
    ...raster,
    originalWidth: header.uprightWidth,
    originalHeight: header.uprightHeight,
    scale: header.uprightWidth / raster.width,
    format,
    firstFrameOnly: FRAME_FORMATS.has(format) && header.pages > 1,
  };
}

function checkBytes(bytes: Uint8Array, limits: MediaLimits): ImageFormat {
  if (bytes.length === 0) throw new IdolensError('empty_file');
  if (bytes.length > limits.maxBytes) {
    throw new IdolensError('too_large', undefined, { bytes: bytes.length, maxBytes: limits.maxBytes });
  }
  const format = sniffImageFormat(bytes);
  if (format === null) throw new IdolensError('unsupported_format');
  return format;
}

/** Reads only the header, so a decompression bomb is caught before any pixel is allocated. */
async function readHeader(bytes: Uint8Array, format: ImageFormat): Promise<ImageHeader> {
  if (format === 'bmp') return bmpHeader(bytes);
  // No pixel limit here: we want the declared size to report it, and metadata decodes no pixels.
  const metadata = await withCorruptImageErrors(() =>
    sharp(bytes, { ...inputOptions(format), limitInputPixels: false }).metadata(),
  );
  // Prebuilt sharp decodes AVIF (AV1) but has no HEVC decoder for HEIC.
  if (metadata.format === 'heif' && metadata.compression === 'hevc') {
    throw new IdolensError('unsupported_format', HEIC_MESSAGE, { format: 'heic' });
  }
  return {
    storedWidth: metadata.width,
    storedHeight: metadata.height,
    uprightWidth: metadata.autoOrient.width,
    uprightHeight: metadata.autoOrient.height,
    pages: metadata.pages ?? 1,
  };
}

/** BMP has no orientation tag and a single frame, so the stored size is the upright size. */
function bmpHeader(bytes: Uint8Array): ImageHeader {
  const { width, height } = readBmpSize(bytes);
  return { storedWidth: width, storedHeight: height, uprightWidth: width, uprightHeight: height, pages: 1 };
}

function checkDimensions(header: ImageHeader, limits: MediaLimits): void {
  const pixels = header.storedWidth * header.storedHeight;
  if (pixels > limits.maxPixels) {
    throw new IdolensError('too_many_pixels', undefined, {
      width: header.storedWidth,
      height: header.storedHeight,
      maxPixels: limits.maxPixels,
    });
  }
  if (Math.min(header.uprightWidth, header.uprightHeight) < limits.minSide) {
    throw new IdolensError('too_small', undefined, {
      width: header.uprightWidth,
      height: header.uprightHeight,
      minSide: limits.minSide,
    });
  }
}

async function decodeRaster(bytes: Uint8Array, format: ImageFormat, limits: MediaLimits): Promise<RgbRaster> {
  const side = limits.maxAnalysisSide;
  const { data, info } = await withCorruptImageErrors(() =>
    openPixels(bytes, format, limits)
      .flatten({ background: WHITE })
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new IdolensError('internal', undefined, { reason: 'decoder did not return packed RGB', channels: info.channels });
  }
  return { rgb: data, width: info.width, height: info.height };
}

/** The prebuilt libvips inside sharp has no BMP loader, so BMP is decoded here and handed over as raw pixels. */
function openPixels(bytes: Uint8Array, format: ImageFormat, limits: MediaLimits): Sharp {
  if (format !== 'bmp') return sharp(bytes, { ...inputOptions(format), limitInputPixels: limits.maxPixels });
  const { data, width, height, channels } = decodeBmp(bytes, limits.maxPixels);
  return sharp(data, { raw: { width, height, channels }, limitInputPixels: limits.maxPixels });
}

function inputOptions(format: ImageFormat): SharpOptions {
  const firstFrame: SharpOptions = FRAME_FORMATS.has(format) ? { pages: 1, page: 0 } : {};
  // 'error' rejects truncated files; 'warning' would also reject many real photos with harmless quirks.
  return { ...firstFrame, failOn: 'error', autoOrient: true };
}

async function withCorruptImageErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IdolensError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new IdolensError('corrupt_image', undefined, { reason }, { cause: error });
  }
}
