import sharp from 'sharp';
import type { Box, DecodedImage } from '../types.ts';

const THUMBNAIL_QUALITY = 85;
/** Margin added on every side of the face box, as a fraction of its size. */
const FACE_MARGIN = 0.25;

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A square JPEG of the face with some surroundings. `box` is in original-image coordinates; the
 * crop comes from the analysis raster, so very large originals give a slightly softer thumbnail.
 */
export async function cropThumbnailJpeg(image: DecodedImage, box: Box, size = 112): Promise<Buffer> {
  const region = squareRegionAround(box, image);
  return sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract(region)
    .resize(size, size)
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}

export async function encodeJpeg(rgb: Buffer, width: number, height: number, quality = THUMBNAIL_QUALITY): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

/** The face box with a margin, squared around its centre and kept inside the raster. */
export function squareRegionAround(box: Box, image: Pick<DecodedImage, 'width' | 'height' | 'scale'>): Region {
  const centreX = (box.x + box.width / 2) / image.scale;
  const centreY = (box.y + box.height / 2) / image.scale;
  const expandedSide = (Math.max(box.width, box.height) * (1 + 2 * FACE_MARGIN)) / image.scale;
  const side = clamp(Math.round(expandedSide), 1, Math.min(image.width, image.height));
  return {
    left: clamp(Math.round(centreX - side / 2), 0, image.width - side),
    top: clamp(Math.round(centreY - side / 2), 0, image.height - side),
    width: side,
    height: side,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
