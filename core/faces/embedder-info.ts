import type { EmbedderInfo } from '../types.ts';

// Kept apart from embedder.ts so that naming the embedder (every CLI command does) never loads a network.
export const EMBEDDER_NAMES = ['arcface', 'dlib'] as const;
export type EmbedderName = (typeof EMBEDDER_NAMES)[number];
export const DEFAULT_EMBEDDER: EmbedderName = 'arcface';

const EMBEDDERS: Record<EmbedderName, EmbedderInfo> = {
  /** The ArcFace-style MobileFaceNet (models/weights/) on a 5-point similarity chip. */
  arcface: { name: 'arcface', id: 'arcface-mbf-512/5pt-similarity', dimensions: 512 },
  /** dlib's ResNet-34 descriptor (face-api's faceRecognitionNet) on a levelled chip after a second landmark pass. */
  dlib: { name: 'dlib', id: 'dlib-resnet-128/level-chip-2pass-drop5', dimensions: 128 },
};

export function embedderInfo(name: EmbedderName): EmbedderInfo {
  return EMBEDDERS[name];
}
