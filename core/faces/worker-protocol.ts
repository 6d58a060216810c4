import type { BackendPreference } from '../../models/backend.ts';
import type { AnalyzedFace, AnalyzeRequest } from './analyze.ts';
import type { FrameFace, FrameRequest } from './analyze-frame.ts';

export interface FaceWorkerData {
  backend: BackendPreference;
}

export type WorkerTask =
  | { id: number; kind: 'analyze' | 'bare'; request: AnalyzeRequest }
  | { id: number; kind: 'frame'; request: FrameRequest };

export type WorkerReply =
  | { kind: 'ready'; backend: string; notes: string[] }
  | { kind: 'fatal'; message: string }
  | { kind: 'analyzed'; id: number; faces: AnalyzedFace[] }
  | { kind: 'counted'; id: number; faces: number }
  | { kind: 'frame'; id: number; faces: FrameFace[]; rgb: Uint8Array }
  | { kind: 'failed'; id: number; message: string };
