import type { BackendPreference } from '../../models/backend.ts';
import type { AnalyzedFace, AnalyzeRequest } from './analyze.ts';
import type { FrameFace, FrameRequest } from './analyze-frame.ts';
import type { FaceCrop } from './face-crop.ts';
import type { EmbedderSettings } from './load-embedder.ts';

export interface FaceWorkerData {
  backend: BackendPreference;
  embedder: EmbedderSettings;
}

export type WorkerTask =
  | { id: number; kind: 'analyze' | 'bare'; request: AnalyzeRequest }
  | { id: number; kind: 'frame'; request: FrameRequest }
  | { id: number; kind: 'embed'; request: { crops: FaceCrop[] } };

export interface WorkerReady {
  kind: 'ready';
  /** The TensorFlow backend (detector, landmarks, dlib). */
  backend: string;
  /** What runs the embedder. */
  embedderRuntime: string;
  notes: string[];
}

export type WorkerReply =
  | WorkerReady
  | { kind: 'fatal'; message: string }
  | { kind: 'analyzed'; id: number; faces: AnalyzedFace[] }
  | { kind: 'counted'; id: number; faces: number }
  | { kind: 'frame'; id: number; faces: FrameFace[]; rgb: Uint8Array }
  | { kind: 'embedded'; id: number; descriptors: Float32Array[] }
  | { kind: 'failed'; id: number; message: string };

/** The buffers a task moves to the worker instead of copying. */
export function transferables(task: WorkerTask): ArrayBuffer[] {
  if (task.kind === 'embed') return task.request.crops.map((crop) => crop.rgb.buffer as ArrayBuffer);
  return [task.request.rgb.buffer as ArrayBuffer];
}
