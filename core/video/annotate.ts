import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_REQUIRED_CONFIDENCE } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import type { Logger } from '../logger.ts';
import { IdolensError } from '../errors.ts';
import { formatSize } from '../format.ts';
import { recognitionProfile } from '../faces/profiles.ts';
import { colorsForNames } from '../render/palette.ts';
import { makeOwnedTempDir } from '../temp-dirs.ts';
import { moveFileAtomic } from '../atomic-file.ts';
import { currentModel } from '../training/train-group.ts';
import { analyzeClip } from './analysis/analyze-clip.ts';
import { renderScreenTimeChart } from './report/chart.ts';
import { even, planEncode, type EncodePlan } from './render/encode-plan.ts';
import { finishTracks } from './analysis/finish-tracks.ts';
import { hardenedInputArgs, prepareVideoInput } from './input/input.ts';
import { assFilter, buildOverlayAss, overlayFonts } from './overlay/overlay-ass.ts';
import { probeVideo } from './input/probe.ts';
import { throttleProgress } from './progress.ts';
import { renderClip } from './render/render-clip.ts';
import { countUnknownPeople, describeScreenTime, screenTime, timeline } from './report/summary.ts';
import { toSrt } from './report/srt.ts';
import type { ScreenTimeEntry, TimelineSegment, VideoProbe, VideoProgress, VideoTrack } from './types.ts';

export interface AnnotateRequest {
  server: string;
  group: string;
  /** The clip on disk (never passed to ffmpeg as such: it is linked into our own work folder). */
  source: string;
  /** Where the labelled MP4 goes (written elsewhere first, moved here when complete). */
  outputPath: string;
  /** The platform's upload limit: the encoder targets it. */
  maxBytes?: number;
  /** The labelled clip's shorter side at most (a server's output size); never upscaled. */
  maxShortSide?: number;
  onProgress?: (progress: VideoProgress) => void;
  signal?: AbortSignal;
  /**
   * Stop the inference workers once the analysis is done, so that their memory (about 0.9 GB for two WASM
   * workers) is free while ffmpeg encodes: for one-shot processes such as the CLI.
   */
  releaseInferenceBeforeRender?: boolean;
  /** Called once the clip is probed, before any frame is decoded: may refuse it (e.g. a daily quota). */
  admitProbed?: (probe: VideoProbe) => Promise<void>;
}

export interface AnnotateResult {
  output: { path: string; bytes: number; width: number; height: number; audio: 'copied' | 'reencoded' | 'none'; notes: string[] };
  durationSeconds: number;
  /** Frames in the labelled clip (the same as the source's). */
  frames: number;
  frameRate: number;
  tracks: VideoTrack[];
  screenTime: ScreenTimeEntry[];
  timeline: TimelineSegment[];
  srt: string;
  /** One line for a caption and screen readers: who was on screen, for how long. */
  summary: string;
  memberNames: string[];
  analysis: { decodedFrames: number; analysedFrames: number; describedFrames: number; sweptFrames: number; analysisWidth: number; analysisHeight: number };
  /** Wall-clock seconds per stage (probing includes loading or training the group's model). */
  timings: { probing: number; analysing: number; rendering: number };
}

/** The analysis raster's longer side: enough for the fast detector and descriptors, cheap to decode and move. */
const ANALYSIS_SIDE = 960;
/** A second encode shrinks the rate by the overshoot and this much more. */
const RETRY_MARGIN = 0.9;

function analysisSize(probe: VideoProbe): { width: number; height: number; scale: number } {
  const { displayWidth, displayHeight } = probe.video;
  const factor = Math.min(1, ANALYSIS_SIDE / Math.max(displayWidth, displayHeight));
  const width = even(displayWidth * factor);
  const height = even(displayHeight * factor);
  return { width, height, scale: displayWidth / width };
}

/**
 * Encodes once; when a size limit is set and the file overshoots it, once more with the rate lowered by the
 * overshoot (and a margin); refuses when even that does not fit.
 */
async function renderWithinBudget(
  render: (plan: EncodePlan) => Promise<{ frames: number }>,
  plan: EncodePlan,
  renderedPath: string,
  maxBytes: number | undefined,
  logger: Logger,
): Promise<{ plan: EncodePlan; rendered: { frames: number }; bytes: number }> {
  const rendered = await render(plan);
  const bytes = (await stat(renderedPath)).size;
  if (maxBytes === undefined || bytes <= maxBytes) return { plan, rendered, bytes };
  if (plan.maxBitsPerSecond !== undefined) {
    const lower: EncodePlan = { ...plan, maxBitsPerSecond: Math.floor(plan.maxBitsPerSecond * (maxBytes / bytes) * RETRY_MARGIN) };
    logger.info({ bytes, maxBytes, rate: lower.maxBitsPerSecond }, 'labelled clip over budget; encoding again at a lower rate');
    const again = await render(lower);
    const retriedBytes = (await stat(renderedPath)).size;
    if (retriedBytes <= maxBytes) return { plan: lower, rendered: again, bytes: retriedBytes };
    throw tooLarge(retriedBytes, maxBytes);
  }
  throw tooLarge(bytes, maxBytes);
}

function tooLarge(bytes: number, maxBytes: number): IdolensError {
  return new IdolensError('output_too_large', `The labelled clip came out at ${formatSize(bytes)}, over the ${formatSize(maxBytes)} limit.`, { bytes, maxBytes });
}

/** Seconds since the previous call (or since it was made). */
function stageClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = Number(((now - last) / 1000).toFixed(3));
    last = now;
    return seconds;
  };
}

function audioOutcome(plan: EncodePlan): 'copied' | 'reencoded' | 'none' {
  return plan.audio.mode === 'copy' ? 'copied' : plan.audio.mode === 'aac' ? 'reencoded' : 'none';
}

/**
 * A clip → the same clip with a box and a name on every face, its audio kept, in one encode; plus who was on
 * screen and for how long. Refuses bad or oversized clips before decoding anything.
 */
export async function annotateClip(context: CoreContext, request: AnnotateRequest): Promise<AnnotateResult> {
  const progress = throttleProgress(request.onProgress);
  const clock = stageClock();
  progress('probing', 0);
  // The inference workers load their networks while the model is read and the clip probed.
  const engine = context.faces();
  engine.catch(() => undefined);
  const trained = await currentModel(context, request.server, request.group);
  const tools = context.mediaTools();
  const limits = context.videoLimits;
  const timeoutMs = limits.timeoutSeconds * 1000;
  const workDir = await makeOwnedTempDir('clip');
  try {
    const input = await prepareVideoInput(request.source, workDir, limits);
    const probe = await probeVideo(tools.ffprobe, input, limits);
    const firstPlan = planEncode(probe, request.maxBytes, request.maxShortSide);
    if (request.admitProbed) await request.admitProbed(probe);
    progress('probing', 100);
    const probing = clock();
    const inputArgs = hardenedInputArgs(input.container, input.path);
    const size = analysisSize(probe);
    const memberNames = trained.model.payload.members.map((member) => member.name);
    const requiredConfidence = trained.group.settings.unknownThreshold ?? DEFAULT_REQUIRED_CONFIDENCE;
    const { samePersonDistance } = recognitionProfile(context.embedder);
    const analysis = await analyzeClip({
      engine: await engine,
      model: trained.model,
      requiredConfidence,
      decode: { ffmpeg: tools.ffmpeg.path, inputArgs, streamIndex: probe.video.streamIndex, width: size.width, height: size.height, timeoutMs, ...(request.signal ? { signal: request.signal } : {}) },
      scale: size.scale,
      samePersonDistance,
      durationSeconds: probe.durationSeconds,
      onProgress: (percent) => progress('analysing', percent),
    });
    if (request.releaseInferenceBeforeRender) await context.releaseFaces();
    if (analysis.decodedFrames === 0) throw new IdolensError('corrupt_video', 'I could not decode a single frame of this clip.');
    progress('analysing', 100);
    const analysing = clock();
    const tracks = finishTracks(analysis.tracks, analysis.votes, memberNames, probe.durationSeconds, requiredConfidence, samePersonDistance);
    const fonts = overlayFonts();
    const assPath = path.join(workDir, 'overlay.ass');
    await writeFile(assPath, buildOverlayAss({ width: probe.video.displayWidth, height: probe.video.displayHeight, tracks, colors: colorsForNames(memberNames), fontFamily: fonts.fontFamily, holdSeconds: 0 }));
    const renderedPath = path.join(workDir, 'output.mp4');
    const render = (encodePlan: EncodePlan): Promise<{ frames: number }> => renderClip({
      ffmpeg: tools.ffmpeg.path, inputArgs, plan: encodePlan, streamIndex: probe.video.streamIndex,
      sourceWidth: probe.video.displayWidth, sourceHeight: probe.video.displayHeight,
      overlayFilter: assFilter(assPath, fonts.fontsDir), outputPath: renderedPath,
      durationSeconds: probe.durationSeconds, timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      onProgress: (percent) => progress('rendering', percent),
    });
    const { plan, rendered, bytes } = await renderWithinBudget(render, firstPlan, renderedPath, request.maxBytes, context.logger);
    progress('rendering', 100);
    const rendering = clock();
    await moveFileAtomic(renderedPath, request.outputPath);
    const entries = screenTime(tracks, probe.durationSeconds);
    const segments = timeline(tracks, probe.durationSeconds);
    return {
      output: { path: request.outputPath, bytes, width: plan.width, height: plan.height, audio: audioOutcome(plan), notes: plan.notes },
      durationSeconds: probe.durationSeconds,
      frames: rendered.frames,
      frameRate: probe.video.frameRate,
      tracks,
      screenTime: entries,
      timeline: segments,
      srt: toSrt(segments),
      summary: describeScreenTime(entries, probe.durationSeconds, countUnknownPeople(tracks)),
      memberNames,
      analysis: { decodedFrames: analysis.decodedFrames, analysedFrames: analysis.analysedFrames, describedFrames: analysis.describedFrames, sweptFrames: analysis.sweptFrames, analysisWidth: size.width, analysisHeight: size.height },
      timings: { probing, analysing, rendering },
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The screen-time chart of a labelled clip, in the same member colours as its boxes. */
export function screenTimeChart(result: AnnotateResult, title: string): Promise<Buffer> {
  return renderScreenTimeChart({ title, entries: result.screenTime, durationSeconds: result.durationSeconds, colors: colorsForNames(result.memberNames) });
}
