import type { BackendPreference } from '../../models/backend.ts';
import type { AnalyzedFace, AnalyzeRequest } from './analyze.ts';

export interface FaceWorkerData {
  backend: BackendPreference;
}

export type WorkerTask = { id: number; kind: 'analyze' | 'bare'; request: AnalyzeRequest };

export type WorkerReply =
  | { kind: 'ready'; backend: string; notes: string[] }
  | { kind: 'fatal'; message: string }
  | { kind: 'analyzed'; id: number; faces: AnalyzedFace[] }
  | { kind: 'counted'; id: number; faces: number }
  | { kind: 'failed'; id: number; message: string };
