import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { annotateClip, screenTimeChart, type AnnotateResult } from '../../core/video/annotate.ts';
import type { AnnotateResultData, JobAnswer } from '../results.ts';
import { fetchClipToFile } from './media-inputs.ts';
import { answerFile } from './answer-file.ts';
import type { Processor } from './processor.ts';

/** The `annotate --json` contract object, less the paths the caller chose (`output` first, `srt`/`chart` last). */
export function annotateJson(result: AnnotateResult): Record<string, unknown> {
  return {
    durationSeconds: Number(result.durationSeconds.toFixed(3)),
    frames: result.frames,
    screenTime: Object.fromEntries(result.screenTime.map((entry) => [entry.name, entry.seconds])),
    tracks: result.tracks.map((track) => ({ name: track.name, from: track.from, to: track.to, confidence: track.confidence })),
    members: result.screenTime,
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

export const annotateProcessor = {
  name: 'annotate',
  async run(payload, context): Promise<JobAnswer<'annotate'>> {
    const { server } = payload.request;
    const input = path.join(context.workDir, 'clip');
    await fetchClipToFile(context, payload.clip, input);
    const output = path.join(context.workDir, 'labelled.mp4');
    const result = await annotateClip(context.core, {
      server, group: payload.group, source: input, outputPath: output, signal: context.signal,
      ...(payload.maxBytes === undefined ? {} : { maxBytes: payload.maxBytes }),
      ...(payload.maxShortSide === undefined ? {} : { maxShortSide: payload.maxShortSide }),
      onProgress: ({ stage, percent }) => context.progress({ stage, percent }),
      admitProbed: (probe) => context.quota.consume(server, probe.durationSeconds),
    });
    const files = [await answerFile(output, 'labelled-video', 'video/mp4')];
    const data: AnnotateResultData = { source: payload.clip.name, group: payload.group, summary: result.summary, json: annotateJson(result), notes: result.output.notes, files: { video: 'labelled.mp4' } };
    if (payload.srt) {
      const srt = path.join(context.workDir, 'names.srt');
      await writeFile(srt, result.srt);
      files.push(await answerFile(srt, 'subtitles', 'application/x-subrip'));
      data.files.srt = 'names.srt';
    }
    if (payload.chart) {
      const chart = path.join(context.workDir, 'screen-time.png');
      await writeFile(chart, await screenTimeChart(result, payload.group));
      files.push(await answerFile(chart, 'chart', 'image/png'));
      data.files.chart = 'screen-time.png';
    }
    return { job: 'annotate', text: result.summary, data, files, someInputBad: false };
  },
} satisfies Processor<'annotate'>;
