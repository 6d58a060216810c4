import type { Answer } from '../../commands/answer.ts';
import { pendingReviewId, type JobAnswer } from '../../workers/results.ts';

/** A worker's answer in the shape every platform sends: its files from the worker's disk, its review buttons. */
export function answerOfJob(job: JobAnswer): Answer {
  const reviewId = pendingReviewId(job);
  return {
    text: job.text,
    files: job.files.map((file) => ({ name: file.name, contentType: file.contentType, path: file.path, size: file.bytes, ...(file.role === 'labelled-video' ? { video: true } : {}) })),
    ...(reviewId === undefined ? {} : { reviewId }),
    ...(job.feedback === undefined ? {} : { feedback: job.feedback }),
  };
}
