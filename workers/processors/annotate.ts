import path from 'node:path';
import { annotateText } from '../../answers/annotate.ts';
import { annotateClipFile, type AnnotateResultData } from '../../services/annotate-service.ts';
import type { JobAnswer } from '../results.ts';
import { answerFile, writeAnswerFile } from './answer-file.ts';
import { fetchClipToFile } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

export const annotateProcessor = {
  name: 'annotate',
  async run(payload, context): Promise<JobAnswer<'annotate'>> {
    const { request } = payload;
    const input = path.join(context.workDir, 'clip');
    await fetchClipToFile(context, payload.clip, input);
    const output = path.join(context.workDir, 'labelled.mp4');
    const clip = await annotateClipFile(context.core, {
      server: request.server, group: payload.group, source: input, outputPath: output, signal: context.signal,
      ...(payload.maxBytes === undefined ? {} : { maxBytes: payload.maxBytes }),
      ...(payload.maxShortSide === undefined ? {} : { maxShortSide: payload.maxShortSide }),
      onProgress: ({ stage, percent }) => context.progress({ stage, percent }),
      admitProbed: (probe) => context.quota.consume(request.server, probe.durationSeconds),
      srt: payload.srt, chart: payload.chart,
    });
    const files = [await answerFile(output, 'labelled-video', 'video/mp4')];
    const data: AnnotateResultData = { source: payload.clip.name, group: payload.group, summary: clip.summary, json: clip.json, notes: clip.notes, files: { video: 'labelled.mp4' } };
    if (clip.srt !== undefined) {
      files.push(await writeAnswerFile(context.workDir, 'names.srt', clip.srt, 'subtitles', 'application/x-subrip'));
      data.files.srt = 'names.srt';
    }
    if (clip.chart !== undefined) {
      files.push(await writeAnswerFile(context.workDir, 'screen-time.png', clip.chart, 'chart', 'image/png'));
      data.files.chart = 'screen-time.png';
    }
    return { job: 'annotate', text: annotateText(data, phrasingFor(request.target)), data, files, someInputBad: false };
  },
} satisfies Processor<'annotate'>;
