import { faceapi, tf } from '../../models/face-api.ts';
import type { EmbedderInfo, Point } from '../types.ts';
import { chipGeometry, CHIP_SIZE, type ChipGeometry } from './align.ts';
import { embedderInfo, type EmbedderOptions } from './embedder-info.ts';

/**
 * A face descriptor: how it frames its chip from the landmarks, and how it turns chips into vectors.
 * A trained group model records `info.id`; descriptors from different embedders are never mixed.
 */
export interface FaceEmbedder {
  readonly info: EmbedderInfo;
  readonly chipSize: number;
  /** Whether landmarks get a second, upright pass before framing (measured better for levelled chips). */
  readonly refinesLandmarks: boolean;
  frame(landmarks: readonly Point[]): ChipGeometry;
  describe(chips: readonly Float32Array[]): Promise<Float32Array[]>;
}

/** dlib's ResNet-34 face descriptor (face-api's faceRecognitionNet, weights shipped in the npm package). */
export function dlibEmbedder(options: EmbedderOptions): FaceEmbedder {
  return {
    info: embedderInfo(options),
    chipSize: CHIP_SIZE,
    refinesLandmarks: options.alignment === 'roll',
    frame: (landmarks) => chipGeometry(landmarks, options.alignment),
    async describe(chips) {
      if (chips.length === 0) return [];
      const tensors = chips.map((chip) => tf.tensor3d(chip, [CHIP_SIZE, CHIP_SIZE, 3]));
      try {
        const result = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors);
        return Array.isArray(result) ? result : [result];
      } finally {
        for (const tensor of tensors) tensor.dispose();
      }
    },
  };
}
