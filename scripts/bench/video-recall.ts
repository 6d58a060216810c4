import { FaceEngine } from '../../core/faces/engine.ts';
import { progress, type BenchSetup } from './bench-runtime.ts';
import { boxRecall, type Recall } from './face-recall.ts';
import { CROWD_CLIP, sharedClip, verticalCrowdClip } from './video-clips.ts';
import type { AnnotateRun } from './video-run.ts';
import { scoreWideShot, wideShotClip, type WideShotScore } from './wide-shot.ts';

export interface RecallBench {
  crowd: { run: AnnotateRun; recall: Recall };
  vertical: { run: AnnotateRun; recall: Recall; upright: boolean };
  wideShot: { run: AnnotateRun; score: WideShotScore };
}

/**
 * Small faces: the crowd clip and its 9:16 cut against the accurate detector's faces on full-size frames, and the
 * group photos panning small across a 1080p stage against their labelled heads (boxes and names).
 */
export async function measureRecall(setup: BenchSetup, ffmpeg: string, clipFolder: string, annotate: (clip: string, name: string) => Promise<AnnotateRun>): Promise<RecallBench> {
  const crowdPath = sharedClip(CROWD_CLIP);
  const verticalPath = await verticalCrowdClip(ffmpeg, clipFolder);
  const wide = await wideShotClip(ffmpeg, clipFolder);
  progress('small faces: the crowd clip, its vertical cut and the panning group photos');
  const crowdRun = await annotate(crowdPath, 'crowd');
  const verticalRun = await annotate(verticalPath, 'crowd-vertical');
  const wideRun = await annotate(wide.path, 'wide-shot');
  const engine = await FaceEngine.start({ workers: 1, logger: setup.logger, embedder: setup.config.embedder });
  try {
    const crowd = await boxRecall(engine, ffmpeg, { path: crowdPath, width: 1920, height: 1080 }, crowdRun.json.tracks);
    const vertical = await boxRecall(engine, ffmpeg, { path: verticalPath, width: 1080, height: 1920 }, verticalRun.json.tracks);
    return {
      crowd: { run: crowdRun, recall: crowd },
      vertical: { run: verticalRun, recall: vertical, upright: verticalRun.json.width === 1080 && verticalRun.json.height === 1920 },
      wideShot: { run: wideRun, score: scoreWideShot(wide, wideRun.json.tracks) },
    };
  } finally {
    await engine.close();
  }
}
