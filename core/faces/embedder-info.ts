import type { EmbedderInfo } from '../types.ts';
import type { AlignmentMode } from './align.ts';

// Kept apart from embedder.ts so that naming the embedder (every CLI command does) never loads TensorFlow.
export interface EmbedderOptions {
  alignment: AlignmentMode;
  flip: boolean;
}

export function embedderInfo(options: EmbedderOptions): EmbedderInfo {
  const base = options.alignment === 'roll' ? 'dlib-resnet-128/level-chip-2pass-drop5' : 'dlib-resnet-128/upright-chip';
  return { id: `${base}${options.flip ? '+flip' : ''}`, dimensions: 128 };
}
