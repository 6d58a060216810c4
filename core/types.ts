/** Shapes shared across the pipeline. Coordinates are pixels of the upright (EXIF-rotated) original image. */
export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heif' | 'tiff' | 'bmp' | 'gif';

/** An upright RGB raster ready for face analysis, possibly downscaled from the original. */
export interface DecodedImage {
  /** Packed RGB bytes, `width * height * 3`. */
  rgb: Buffer;
  width: number;
  height: number;
  /** Size of the upright original; boxes are reported in these coordinates. */
  originalWidth: number;
  originalHeight: number;
  /** originalWidth / width (1 when not downscaled). */
  scale: number;
  format: ImageFormat;
  /** True when the file had several frames and only the first was used. */
  firstFrameOnly: boolean;
}

export interface MediaLimits {
  maxBytes: number;
  maxPixels: number;
  minSide: number;
  /** The longer side of the analysis raster; larger images are downscaled for detection. */
  maxAnalysisSide: number;
}

export type DetectorKind = 'accurate' | 'fast';

/** One face found in an image, in original-image coordinates. */
export interface FaceObservation {
  box: Box;
  detectionScore: number;
  landmarks: Point[];
  /** Head roll in degrees (positive: clockwise), measured from the eye line. */
  rollDegrees: number;
  /** Variance of the Laplacian of the aligned face chip: low means blurry. */
  sharpness: number;
  descriptor: Float32Array;
}

export interface EmbedderInfo {
  /** What configuration calls it (`IDOLENS_EMBEDDER`). */
  name: 'arcface' | 'dlib';
  /** e.g. `arcface-mbf-512/5pt-similarity`: every descriptor and trained model records it; they are never mixed. */
  id: string;
  dimensions: number;
}
