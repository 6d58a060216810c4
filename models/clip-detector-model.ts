import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckedModel } from './model-file.ts';

/**
 * The clips' face detector shipped in this repository (models/weights/, MIT, see its README): an Ultra-Light
 * RFB-320 face detector, 320×240 RGB in, 4,420 anchors' scores and corner boxes (0–1 of the input) out.
 */
export const CLIP_DETECTOR_MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'weights', 'fr_detect.onnx');
export const CLIP_DETECTOR_MODEL_SHA256 = '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854';

export function readClipDetectorModel(file: string = CLIP_DETECTOR_MODEL_FILE): Uint8Array {
  return readCheckedModel(file, CLIP_DETECTOR_MODEL_SHA256, 'reinstall idolens');
}
