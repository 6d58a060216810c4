import type { VideoProgress, VideoStage } from './types.ts';

/**
 * Passes progress on at most every `intervalMs` (bots edit a message with it), but always the first report
 * of each stage and the end of a stage.
 */
export function throttleProgress(report: ((progress: VideoProgress) => void) | undefined, intervalMs = 250, now: () => number = Date.now): (stage: VideoStage, percent: number) => void {
  let lastStage: VideoStage | undefined;
  let lastAt = -Infinity;
  let lastPercent = -1;
  return (stage, percent) => {
    if (!report) return;
    const rounded = Math.max(0, Math.min(100, Math.round(percent)));
    const stageChanged = stage !== lastStage;
    if (!stageChanged && rounded === lastPercent) return;
    if (!stageChanged && rounded < 100 && now() - lastAt < intervalMs) return;
    lastStage = stage;
    lastAt = now();
    lastPercent = rounded;
    report({ stage, percent: rounded });
  };
}
