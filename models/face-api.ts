import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api';
import type * as TfCoreModule from '@tensorflow/tfjs-core';

/**
 * The face-api build for Node that brings tfjs with its CPU and WASM backends.
 * `@tensorflow/tfjs-node`, when installed, registers its native backend on the same tfjs engine.
 */
const require = createRequire(import.meta.url);

export type FaceApi = typeof FaceApiModule;
export type Tf = FaceApi['tf'];

/**
 * Loaded with source-map support off: under tsx, Node would otherwise read and index the maps of the bundled
 * tfjs builds (about 0.15 s of CPU in every thread that loads them) for stack traces we never map into them.
 */
function requireWithoutSourceMaps(specifier: string): unknown {
  const enabled = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return require(specifier);
  } finally {
    process.setSourceMapsEnabled(enabled);
  }
}

export const faceapi = requireWithoutSourceMaps('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
export const tf: Tf = faceapi.tf;
/** The same tfjs-core instance face-api runs on (one copy in node_modules), typed with its full API. */
export const tfCore = require('@tensorflow/tfjs-core') as typeof TfCoreModule;

/** The weights shipped inside the npm package: never fetched from the network. */
export const FACE_API_MODEL_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

export const TFJS_WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;

export function requireOptional(specifier: string): unknown {
  return require(specifier);
}

