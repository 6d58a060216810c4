import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parseByteSize } from '../byte-size.ts';
import { annotateClip, screenTimeChart, type AnnotateResult } from '../../core/video/annotate.ts';
import type { VideoProgress } from '../../core/video/types.ts';
import { createIo, errorLine, EXIT } from '../io.ts';
import type { CommandState } from '../main.ts';
import { withRuntime } from '../session.ts';

interface AnnotateOptions {
  output: string;
  maxBytes?: number;
  srt?: string;
  chart?: string;
  json?: boolean;
}

/** The contract's JSON object, plus the details a bot or a tool may want. */
function jsonResult(result: AnnotateResult, files: { srt?: string; chart?: string }): Record<string, unknown> {
  return {
    output: result.output.path,
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
    ...(files.srt ? { srt: files.srt } : {}),
    ...(files.chart ? { chart: files.chart } : {}),
  };
}

/** A progress line on an interactive terminal only (stderr: stdout carries only results). */
function progressPrinter(): ((progress: VideoProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ stage, percent }) => {
    process.stderr.write(`\r${stage} ${String(percent).padStart(3)}%${percent === 100 && stage === 'rendering' ? '\n' : ''}`);
  };
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
    .action(async (group: string, video: string, options: AnnotateOptions, command: Command) => {
      const io = createIo(options.json === true);
      const outputs = [options.output, options.srt, options.chart].filter((file): file is string => file !== undefined);
      if (outputs.some((file) => path.resolve(file) === path.resolve(video))) {
        io.problem('the output would overwrite the clip itself; choose another -o/--srt/--chart path');
        state.exitCode = EXIT.usage;
        return;
      }
      await Promise.all(outputs.map((file) => mkdir(path.dirname(path.resolve(file)), { recursive: true })));
      await withRuntime(command, async ({ context }, server) => {
        let result: AnnotateResult;
        try {
          const onProgress = progressPrinter();
          result = await annotateClip(context, { server, group, source: video, outputPath: options.output, releaseInferenceBeforeRender: true, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }), ...(onProgress ? { onProgress } : {}) });
        } catch (error) {
          state.exitCode = EXIT.badInput;
          if (io.json) io.resultJson(errorLine(video, error));
          io.problem(`${video}: ${errorLine(video, error).error.message}`);
          return;
        }
        const files: { srt?: string; chart?: string } = {};
        if (options.srt) {
          await writeFile(options.srt, result.srt);
          files.srt = options.srt;
        }
        if (options.chart) {
          const png = await screenTimeChart(result, group);
          await writeFile(options.chart, png);
          files.chart = options.chart;
        }
        if (io.json) io.resultJson(jsonResult(result, files));
        else {
          io.result(`${video}: ${result.summary} → ${result.output.path}`);
          for (const note of result.output.notes) io.info(`note: ${note}`);
        }
      });
    });
}
