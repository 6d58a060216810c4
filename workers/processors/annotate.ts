import path from 'node:path';
import { annotateText } from '../../answers/annotate.ts';
import { annotateClipFile, type AnnotateResultData } from '../../services/annotate-service.ts';
import { cutJson, cutMember } from '../../services/cut-service.ts';
import type { AnnotateRequest } from '../../core/video/annotate.ts';
import type { JobPayload } from '../jobs.ts';
import type { AnswerFile, JobAnswer } from '../results.ts';
import { answerFile, writeAnswerFile } from './answer-file.ts';
import { labelledStill, type LabelledStill } from './clip-still.ts';
import { fetchClipToFile } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor, ProcessorContext } from './processor.ts';

/** What labelling the fetched clip takes from the job: limits, progress, the server's clip quota. */
function clipRequest(payload: JobPayload<'annotate'>, context: ProcessorContext, source: string, outputPath: string): AnnotateRequest {
  const { server } = payload.request;
  return {
    server, group: payload.group, source, outputPath, signal: context.signal,
    ...(payload.maxBytes === undefined ? {} : { maxBytes: payload.maxBytes }),
    ...(payload.maxShortSide === undefined ? {} : { maxShortSide: payload.maxShortSide }),
    onProgress: ({ stage, percent }) => context.progress({ stage, percent }),
    admitProbed: (probe) => context.quota.consume(server, probe.durationSeconds),
  };
}

interface ClipAnswer {
  data: AnnotateResultData;
  files: AnswerFile[];
  still?: LabelledStill;
}

async function labelled(payload: JobPayload<'annotate'>, context: ProcessorContext, source: string): Promise<ClipAnswer> {
  const output = path.join(context.workDir, 'labelled.mp4');
  const clip = await annotateClipFile(context.core, { ...clipRequest(payload, context, source, output), srt: payload.srt, chart: payload.chart });
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
  const onBot = payload.request.target.kind === 'discord' || payload.request.target.kind === 'telegram';
  const still = onBot && clip.stillSeconds !== undefined ? await labelledStill(context, payload, source, clip.stillSeconds) : undefined;
  return { data, files: still === undefined ? files : [...files, still.file], ...(still === undefined ? {} : { still }) };
}

async function memberCut(payload: JobPayload<'annotate'>, options: NonNullable<JobPayload<'annotate'>['cut']>, context: ProcessorContext, source: string): Promise<ClipAnswer> {
  const output = path.join(context.workDir, 'cut.mp4');
  const cut = await cutMember(context.core, { ...clipRequest(payload, context, source, output), member: options.member, padSeconds: options.padSeconds });
  const name = `${cut.member.replace(/[^\p{L}\p{N}_-]+/gu, '-')}-cut.mp4`;
  const file = { ...await answerFile(output, 'labelled-video', 'video/mp4'), name };
  const data: AnnotateResultData = {
    source: payload.clip.name, group: payload.group, summary: cut.summary, json: cutJson(cut), notes: [], files: { video: name },
    cut: { member: cut.member, stretches: cut.stretches, durationSeconds: cut.durationSeconds, sourceDurationSeconds: cut.sourceDurationSeconds },
  };
  return { data, files: [file] };
}

export const annotateProcessor = {
  name: 'annotate',
  async run(payload, context): Promise<JobAnswer<'annotate'>> {
    const source = path.join(context.workDir, 'clip');
    await fetchClipToFile(context, payload.clip, source);
    const { data, files, still } = payload.cut === undefined ? await labelled(payload, context, source) : await memberCut(payload, payload.cut, context, source);
    const text = annotateText(data, phrasingFor(payload.request.target));
    if (still === undefined) return { job: 'annotate', text, data, files, someInputBad: false };
    return { job: 'annotate', text: `${text}\n${still.line}`, data, files, someInputBad: false, feedback: still.feedback };
  },
} satisfies Processor<'annotate'>;
