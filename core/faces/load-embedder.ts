import { selectOnnxRuntime, type OnnxRuntimePreference } from '../../models/onnx-runtime.ts';
import { arcfaceEmbedder } from './arcface-embedder.ts';
import type { EmbedderName } from './embedder-info.ts';
import { dlibEmbedder, type FaceEmbedder } from './embedder.ts';

export interface EmbedderSettings {
  name: EmbedderName;
  /** Which onnxruntime runs the ArcFace model (auto: native, else WebAssembly). */
  onnxRuntime: OnnxRuntimePreference;
  /** The ArcFace weights; the file shipped in models/weights/ unless set. */
  arcfaceModel?: string;
}

export interface LoadedEmbedder {
  embedder: FaceEmbedder;
  /** What runs it (`tfjs` for dlib, `onnxruntime-node`/`onnxruntime-web` for ArcFace), and what was tried first. */
  runtime: string;
  notes: string[];
}

/** The embedder an inference worker describes faces with; its weights are checked (sha256) as they load. */
export async function loadEmbedder(settings: EmbedderSettings): Promise<LoadedEmbedder> {
  if (settings.name === 'dlib') return { embedder: dlibEmbedder(), runtime: 'tfjs', notes: [] };
  const runtime = selectOnnxRuntime(settings.onnxRuntime);
  const embedder = await arcfaceEmbedder(runtime, settings.arcfaceModel);
  return { embedder, runtime: runtime.name === 'native' ? 'onnxruntime-node' : 'onnxruntime-web', notes: runtime.notes };
}
