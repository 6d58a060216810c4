import { faceapi, tf } from '../../models/face-api.ts';
import type { EmbedderInfo, Point } from '../types.ts';
import { chipGeometry, CHIP_SIZE, geometryToAffine } from './align.ts';
import { embedderInfo } from './embedder-info.ts';
import type { Affine } from './warp.ts';

/**
 * A face descriptor: how it frames its chip from the 68 landmarks, and how it turns chips (packed RGB, 0–255,
 * `chipSize`²) into vectors. A trained group model records `info.id`; descriptors from different embedders are
 * never mixed.
 */
export interface FaceEmbedder {
  readonly info: EmbedderInfo;
  readonly chipSize: number;
  /** Chip pixels → source pixels for a face with these landmarks. */
  frame(landmarks: readonly Point[]): Affine;
  describe(chips: readonly Float32Array[]): Promise<Float32Array[]>;
}

/** dlib's ResNet-34 face descriptor (face-api's faceRecognitionNet, weights shipped in the npm package), on a levelled chip. */
export function dlibEmbedder(): FaceEmbedder {
  return {
    info: embedderInfo('dlib'),
    chipSize: CHIP_SIZE,
    frame: (landmarks) => geometryToAffine(chipGeometry(landmarks), CHIP_SIZE),
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
