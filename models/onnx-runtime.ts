import { createRequire } from 'node:module';
import type * as OrtModule from 'onnxruntime-web';
import { optionalPackageNote } from './optional-package.ts';

/** onnxruntime's JavaScript API: the same for the native addon and the WebAssembly build. */
export type Ort = typeof OrtModule;
export type OnnxRuntimePreference = 'auto' | 'native' | 'wasm';
export type OnnxRuntimeName = Exclude<OnnxRuntimePreference, 'auto'>;

export interface OnnxRuntimeChoice {
  name: OnnxRuntimeName;
  ort: Ort;
  /** Why this one, and what was tried before it. */
  notes: string[];
}

const require = createRequire(import.meta.url);

function loadNative(): Ort {
  return require('onnxruntime-node') as Ort;
}

function loadWasm(): Ort {
  const ort = require('onnxruntime-web') as Ort;
  // Each inference worker is one thread: parallelism comes from the workers, not from WebAssembly threads.
  ort.env.wasm.numThreads = 1;
  return ort;
}

const LOADERS: Record<OnnxRuntimeName, { load: () => Ort; label: string }> = {
  native: { load: loadNative, label: 'onnxruntime-node' },
  wasm: { load: loadWasm, label: 'onnxruntime-web' },
};

/**
 * The native onnxruntime (an optional dependency: its binary ships in the npm package) when it loads here, else
 * its WebAssembly build (a regular dependency, no install step). A forced choice that fails is an error.
 */
export function selectOnnxRuntime(preference: OnnxRuntimePreference): OnnxRuntimeChoice {
  const order: OnnxRuntimeName[] = preference === 'auto' ? ['native', 'wasm'] : [preference];
  const notes: string[] = [];
  for (const name of order) {
    const { load, label } = LOADERS[name];
    try {
      return { name, ort: load(), notes };
    } catch (error) {
      notes.push(optionalPackageNote(label, error));
    }
  }
  throw new Error(`No ONNX runtime could load: ${notes.join('; ')}`);
}
