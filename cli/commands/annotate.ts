import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parseByteSize } from '../byte-size.ts';
import { annotateClipFile } from '../../services/annotate-service.ts';
import { createIo, reportRefusedInput } from '../io.ts';
import { progressPrinter } from '../progress-line.ts';
import type { CommandState } from '../command-state.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import { withQueue } from '../queue-session.ts';
import { withRuntime } from '../session.ts';
import { cancellable } from '../cancel.ts';

interface AnnotateOptions {
  output: string;
  maxBytes?: number;
  srt?: string;
  chart?: string;
  json?: boolean;
  queue?: boolean;
  force?: boolean;
}

/** The contract's JSON object: the paths the caller chose around the result. */
function jsonResult(output: string, result: Record<string, unknown>, files: { srt?: string; chart?: string }): Record<string, unknown> {
  return { output, ...result, ...(files.srt ? { srt: files.srt } : {}), ...(files.chart ? { chart: files.chart } : {}) };
}

interface Annotated {
  output: string;
  json: Record<string, unknown>;
  summary: string;
  notes: string[];
  files: { srt?: string; chart?: string };
}

async function annotateLocally(command: Command, group: string, video: string, options: AnnotateOptions): Promise<Annotated> {
  return cancellable((signal) => withRuntime(command, async ({ context }, server) => {
    const onProgress = progressPrinter();
    const clip = await annotateClipFile(context, {
      server, group, source: video, outputPath: options.output, releaseInferenceBeforeRender: true, srt: Boolean(options.srt), chart: Boolean(options.chart), signal,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }), ...(onProgress ? { onProgress } : {}),
    });
    const files: { srt?: string; chart?: string } = {};
    if (options.srt && clip.srt !== undefined && clip.srt !== '') {
      await writeFile(options.srt, clip.srt);
      files.srt = options.srt;
    }
    if (options.chart && clip.chart !== undefined) {
      await writeFile(options.chart, clip.chart);
      files.chart = options.chart;
    }
    return { output: clip.output, json: clip.json, summary: clip.summary, notes: clip.notes, files };
  }));
}

/** Through the workers: the clip goes up as a blob, the labelled clip (and subtitles, chart) come back. */
async function annotateQueued(command: Command, group: string, video: string, options: AnnotateOptions): Promise<Annotated> {
  return withQueue(command, async (session) => {
    const clip = await session.clip(video);
    const onProgress = progressPrinter();
    const result = await session.run('annotate', { group, clip, srt: options.srt !== undefined, chart: options.chart !== undefined, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) }, onProgress);
    const { data } = result.answer;
    await session.saveFile(result, data.files.video, options.output);
    const files: { srt?: string; chart?: string } = {};
    if (options.srt && data.files.srt) {
      await session.saveFile(result, data.files.srt, options.srt);
      files.srt = options.srt;
    }
    if (options.chart && data.files.chart) {
      await session.saveFile(result, data.files.chart, options.chart);
      files.chart = options.chart;
    }
    return { output: options.output, json: data.json, summary: data.summary, notes: data.notes, files };
  });
}

export function registerAnnotate(program: Command, state: CommandState): void {
  program
    .command('annotate <group> <video>')
    .description('label every face in a clip (boxes and names drawn, audio kept) and report screen time')
    .requiredOption('-o, --output <file.mp4>', 'where to write the labelled MP4')
    .option('--max-bytes <size>', 'fit the labelled clip in this many bytes (e.g. 10MiB for Discord, 50MB for Telegram)', parseByteSize)
    .option('--srt <file>', 'also write the names on screen over time as SRT subtitles')
    .option('--chart <file.png>', 'also draw the screen-time bar chart')
    .option('--json', 'print one JSON object with the result')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .option(...FORCE_OPTION)
    .action(async (group: string, video: string, options: AnnotateOptions, command: Command) => {
      const io = createIo(options.json === true);
      const outputs = [options.output, options.srt, options.chart].filter((file): file is string => file !== undefined);
      await guardOutputs(outputs, [video], options.force === true);
      await Promise.all(outputs.map((file) => mkdir(path.dirname(path.resolve(file)), { recursive: true })));
      let annotated: Annotated;
      try {
        annotated = options.queue === true ? await annotateQueued(command, group, video, options) : await annotateLocally(command, group, video, options);
      } catch (error) {
        reportRefusedInput(io, state, video, error);
        return;
      }
      if (io.json) io.resultJson(jsonResult(annotated.output, annotated.json, annotated.files));
      else {
        io.result(`${video}: ${annotated.summary} → ${annotated.output}`);
        for (const note of annotated.notes) io.info(`note: ${note}`);
      }
      if (options.srt !== undefined && annotated.files.srt === undefined) io.info(`No member was recognised on screen, so no subtitles were written (${options.srt} was not created).`);
    });
}
