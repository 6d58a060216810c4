/** Labelling a clip: boxes and names drawn, who was on screen and for how long, subtitles and a chart when asked. */
import type { CoreContext } from '../core/context.ts';
import { annotateClip, screenTimeChart, type AnnotateRequest, type AnnotateResult } from '../core/video/annotate.ts';
import { countUnknownPeople } from '../core/video/report/summary.ts';
import { summaryMoment } from '../core/video/still-frame.ts';

/** The `annotate --json` contract object without the paths the caller chooses (`output`, `srt`, `chart`). */
export interface AnnotateResultData {
  source: string;
  group: string;
  summary: string;
  json: Record<string, unknown>;
  notes: string[];
  /** Files among a job answer's: the labelled clip, and the subtitles and chart when asked for. */
  files: { video: string; srt?: string; chart?: string };
  /** A member's own cut: whose, and which stretches of the source it joined. */
  cut?: { member: string; stretches: { from: number; to: number }[]; durationSeconds: number; sourceDurationSeconds: number };
}

export interface AnnotateClipRequest extends AnnotateRequest {
  /** Also the names on screen over time as SRT subtitles. */
  srt: boolean;
  /** Also the screen-time bar chart, titled `chartTitle` (default: the group). */
  chart: boolean;
  chartTitle?: string;
}

export interface AnnotatedClip {
  /** Where the labelled MP4 is. */
  output: string;
  summary: string;
  /** The `annotate --json` contract object, less the paths the caller chose. */
  json: Record<string, unknown>;
  notes: string[];
  srt?: string;
  /** PNG. */
  chart?: Buffer;
  /** The moment most members were on screen (a labelled still of it goes under the bots' answers). */
  stillSeconds?: number;
}

export async function annotateClipFile(core: CoreContext, request: AnnotateClipRequest): Promise<AnnotatedClip> {
  const { srt, chart, chartTitle, ...clip } = request;
  const result = await annotateClip(core, clip);
  const annotated: AnnotatedClip = { output: result.output.path, summary: result.summary, json: annotateJson(result), notes: result.output.notes };
  // No one named: no subtitles at all rather than an empty file (the caller says so).
  if (srt && result.srt !== '') annotated.srt = result.srt;
  if (chart) annotated.chart = await screenTimeChart(result, chartTitle ?? request.group);
  const still = summaryMoment(result.tracks);
  if (still !== undefined) annotated.stillSeconds = still;
  return annotated;
}

/** The `annotate --json` contract object, less the paths the caller chose (`output` first, `srt`/`chart` last). */
export function annotateJson(result: AnnotateResult): Record<string, unknown> {
  return {
    durationSeconds: Number(result.durationSeconds.toFixed(3)),
    frames: result.frames,
    screenTime: Object.fromEntries(result.screenTime.map((entry) => [entry.name, entry.seconds])),
    tracks: result.tracks.map((track) => ({
      name: track.name, from: track.from, to: track.to, confidence: track.confidence,
      ...(track.unknownPerson === undefined ? {} : { unknownPerson: track.unknownPerson }),
      boxes: track.keyframes.map((keyframe) => ({ time: keyframe.time, ...keyframe.box })),
    })),
    members: result.screenTime,
    unknownPeople: countUnknownPeople(result.tracks),
    summary: result.summary,
    bytes: result.output.bytes,
    width: result.output.width,
    height: result.output.height,
    frameRate: Number(result.frameRate.toFixed(3)),
    audio: result.output.audio,
    notes: result.output.notes,
    timings: result.timings,
    analysis: result.analysis,
  };
}
