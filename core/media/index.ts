export { decodeImage } from './decode.ts';
export { DEFAULT_MEDIA_LIMITS } from './limits.ts';
export { readImageFile } from './read-file.ts';
export { sniffImageFormat } from './sniff.ts';
export { cropThumbnailJpeg, encodeJpeg, squareRegionAround } from './thumbnail.ts';
