/**
 * What each job answers: typed data (the CLI prints it in its contract's shape, bots phrase it), one line of
 * text that says the result (captions, screen readers, search), and the files that go with it. Each use case's
 * data is its service's (`services/`).
 */
import type { AnnotateResultData } from '../services/annotate-service.ts';
import type { EnrollResult } from '../services/enroll-service.ts';
import type { GroupResult } from '../services/group-service.ts';
import type { CorrectionResultData } from '../services/feedback-service.ts';
import type { PackImportReport } from '../services/pack-service.ts';
import type { IdentifyResultData } from '../services/identify-service.ts';
import type { SearchResultData } from '../services/search-service.ts';
import type { TrainResult } from '../services/train-service.ts';
import type { AnswerFeedback } from '../core/feedback/answer-feedback.ts';
import type { JobName } from './job-names.ts';

export type { AnnotateResultData } from '../services/annotate-service.ts';
export type { EnrollResult } from '../services/enroll-service.ts';
export type { GroupListEntry, GroupResult } from '../services/group-service.ts';
export type { IdentifiedPicture, IdentifyResultData, InputFailure } from '../services/identify-service.ts';
export { isInputFailure } from '../services/identify-service.ts';
export type { SearchResultData } from '../services/search-service.ts';
export type { TrainResult } from '../services/train-service.ts';

export interface JobResults {
  group: GroupResult;
  enroll: EnrollResult;
  import: EnrollResult;
  train: TrainResult;
  identify: IdentifyResultData;
  annotate: AnnotateResultData;
  search: SearchResultData;
  correct: CorrectionResultData;
  pack: PackImportReport;
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
  /** A bot's labelled answer fans may correct: the buttons under it name it. */
  feedback?: AnswerFeedback;
}

/** The pending set an image search's answer asks the admin to review, if it kept any photos. */
export function pendingReviewId(answer: JobAnswer): string | undefined {
  if (answer.job !== 'search' || !('pendingId' in answer.data) || typeof answer.data.pendingId !== 'string') return undefined;
  return answer.data.pendingId;
}
