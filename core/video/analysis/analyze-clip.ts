import { analyzeSegment, type AnalysisSettings, type SegmentAnalysis } from './analyze-segment.ts';
import { mergeSegments } from './merge-segments.ts';

export interface ClipAnalysisRequest extends AnalysisSettings {
  durationSeconds: number;
  onProgress?: (percent: number) => void;
}

/** The whole clip's analysis: its segments' tracks joined, their frame counts added up. */
export type ClipAnalysis = Omit<SegmentAnalysis, 'start' | 'end'>;

/** Shorter segments cost more in seeking than their parallelism gains. */
const MIN_SEGMENT_SECONDS = 3;
/**
 * Below this, a clip is analysed by the workers already running: starting another costs about a core-second,
 * which a short clip does not win back (measured on the 45 s benchmark clip: one worker 4.7 s, two 5.1–6.0 s).
 */
const LONG_CLIP_SECONDS = 60;
/** Track ids of segment k start at k × this. */
const TRACK_IDS_PER_SEGMENT = 1_000_000;

/** Equal stretches of the clip, one per inference worker (fewer for a short clip). */
export function segmentBounds(durationSeconds: number, workers: number): { start: number; end: number }[] {
  const count = Math.max(1, Math.min(workers, Math.floor(durationSeconds / MIN_SEGMENT_SECONDS)));
  const length = durationSeconds / count;
  return Array.from({ length: count }, (_, index) => ({ start: index * length, end: index === count - 1 ? durationSeconds : (index + 1) * length }));
}

/**
 * The clip cut into one segment per inference worker (per running worker, for a short clip), each analysed in
 * order (so sampling reacts at once to what the last detection found) and all at the same time (so every worker
 * is busy); the segments' tracks are then joined where a face crosses a boundary.
 */
export async function analyzeClip(request: ClipAnalysisRequest): Promise<ClipAnalysis> {
  const { durationSeconds, onProgress, ...settings } = request;
  const workers = durationSeconds >= LONG_CLIP_SECONDS ? settings.engine.size : settings.engine.readyWorkers;
  const bounds = segmentBounds(durationSeconds, workers);
  const done = bounds.map(() => 0);
  const report = (): void => onProgress?.(Math.min(100, (done.reduce((sum, value) => sum + value, 0) / Math.max(durationSeconds, 0.001)) * 100));
  const segments: SegmentAnalysis[] = await Promise.all(bounds.map((bound, index) => analyzeSegment({
    ...settings,
    start: bound.start,
    end: bound.end,
    firstTrackId: 1 + index * TRACK_IDS_PER_SEGMENT,
    onProgress: (seconds) => {
      done[index] = Math.min(seconds, bound.end - bound.start);
      report();
    },
  })));
  const merged = mergeSegments(segments, settings.samePersonDistance);
  const sum = (pick: (segment: SegmentAnalysis) => number): number => segments.reduce((total, segment) => total + pick(segment), 0);
  return {
    tracks: merged.tracks,
    votes: merged.votes,
    decodedFrames: sum((segment) => segment.decodedFrames),
    analysedFrames: sum((segment) => segment.analysedFrames),
    describedFrames: sum((segment) => segment.describedFrames),
    sweptFrames: sum((segment) => segment.sweptFrames),
  };
}
