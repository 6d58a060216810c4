/**
 * What each job answers: typed data (the CLI prints it in its contract's shape, bots phrase it), one line of
 * text that says the result (captions, screen readers, search), and the files that go with it.
 */
import type { SearchOutcome } from '../core/search/search-enroll.ts';
import type { TrainingReport } from '../core/classifier/index.ts';
import type { MemberNeedingPhotos } from '../core/training/reembed.ts';
import type { EnrollOutcome, EnrollSummary } from '../core/dataset/enroll.ts';
import type { ErrorCode } from '../core/errors.ts';
import type { IdentifiedFace } from '../core/identify/identify.ts';
import type { JobName } from './jobs.ts';

export interface GroupListEntry {
  group: string;
  members: number;
  samples: number;
  trained: boolean;
}

export type GroupResult =
  | { action: 'create'; group: string }
  | { action: 'list'; groups: GroupListEntry[] }
  | { action: 'rename'; group: string; renamedFrom: string }
  | { action: 'delete'; group: string };

export interface EnrollResult {
  group: string;
  outcomes: EnrollOutcome[];
  counts: EnrollSummary['counts'];
}

export interface TrainResult {
  group: string;
  /** False when the stored model was already current and training was not forced. */
  retrained: boolean;
  report: TrainingReport;
  /** Members whose photos from an earlier face model kept no crop: left out of training until enrolled again. */
  needPhotosAgain: MemberNeedingPhotos[];
}

export interface InputFailure {
  source: string;
  error: { code: ErrorCode; message: string };
}

export interface IdentifiedPicture {
  source: string;
  width: number;
  height: number;
  faces: IdentifiedFace[];
  summary: string;
  /** The labelled picture's file among the answer's files. */
  file?: string;
}

export interface IdentifyResultData {
  group: string;
  pictures: (IdentifiedPicture | InputFailure)[];
}

/** The `annotate --json` contract object without the paths the caller chooses (`output`, `srt`, `chart`). */
export interface AnnotateResultData {
  source: string;
  group: string;
  summary: string;
  json: Record<string, unknown>;
  notes: string[];
  /** Files among the answer's: the labelled clip, and the subtitles and chart when asked for. */
  files: { video: string; srt?: string; chart?: string };
}

export interface JobResults {
  group: GroupResult;
  enroll: EnrollResult;
  import: EnrollResult;
  train: TrainResult;
  identify: IdentifyResultData;
  annotate: AnnotateResultData;
  search: SearchResultData;
}

/** An image search's kept photos, pending review under `pendingId` (absent when nothing was kept). */
export interface SearchResultData {
  group: string;
  member: string;
  query: string;
  provider: string;
  pendingId?: string;
  kept: number;
  outcomes: SearchOutcome[];
}

export type FileRole = 'labelled-image' | 'labelled-video' | 'chart' | 'subtitles' | 'contact-sheet' | 'review-sheet';

/** A file of an answer, on the worker's disk until it is delivered. */
export interface AnswerFile {
  name: string;
  role: FileRole;
  contentType: string;
  path: string;
  bytes: number;
}

export interface JobAnswer<N extends JobName = JobName> {
  job: N;
  /** The whole result in words. */
  text: string;
  data: JobResults[N];
  files: AnswerFile[];
  /** Some inputs were bad (the rest went on): the CLI exits 1. */
  someInputBad: boolean;
}

export function isInputFailure(picture: IdentifiedPicture | InputFailure): picture is InputFailure {
  return 'error' in picture;
}

/** The pending set an image search's answer asks the admin to review, if it kept any photos. */
export function pendingReviewId(answer: JobAnswer): string | undefined {
  if (answer.job !== 'search' || !('pendingId' in answer.data) || typeof answer.data.pendingId !== 'string') return undefined;
  return answer.data.pendingId;
}
