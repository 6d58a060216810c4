/**
 * What any request is answered with, on every platform: the result in words, its files, and the review buttons
 * of an image search's pending photos. Quick replies and job answers alike; each platform sends it its own way.
 */

import type { AnswerFeedback } from '../core/feedback/answer-feedback.ts';

/** A file of an answer: in memory, or on the worker's disk until it is sent. */
export type OutgoingFile = {
  name: string;
  contentType: string;
  /** A labelled clip: sent as a playable video where the platform has one. */
  video?: boolean;
} & ({ bytes: Buffer } | { path: string; size: number });

export interface Answer {
  /** The whole result in words (captions, screen readers, search): never only in a picture. */
  text: string;
  files: readonly OutgoingFile[];
  /** The pending set of photos whose "Accept all" / "Discard" buttons go under the answer. */
  reviewId?: string;
  /** A review sheet of fans' suggestions: its "Accept all" / "Reject all" buttons decide what it showed. */
  suggestionsId?: string;
  /** A job under way: a "Cancel" button that only the person who asked may press. */
  cancel?: { userId: string; requestId: string };
  /** A labelled answer fans may correct: "Wrong name?" and "Is face 2 Lisa?" go under it. */
  feedback?: AnswerFeedback;
}

export function fileSize(file: OutgoingFile): number {
  return 'bytes' in file ? file.bytes.length : file.size;
}

export function textAnswer(text: string): Answer {
  return { text, files: [] };
}
