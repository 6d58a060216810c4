import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { IdolensError } from '../../core/errors.ts';
import { cutJson, cutMember, DEFAULT_PAD_SECONDS, MAX_PAD_SECONDS, type MemberCut } from '../../services/cut-service.ts';
import type { CommandState } from '../command-state.ts';
import { createIo, reportRefusedInput } from '../io.ts';
import { progressPrinter } from '../progress-line.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import { withQueue } from '../queue-session.ts';
import { withRuntime } from '../session.ts';
import { cancellable } from '../cancel.ts';
import { UsageError } from '../usage-error.ts';

interface CutOptions {
  member: string;
  output: string;
  pad: string;
  json?: boolean;
  queue?: boolean;
  force?: boolean;
}

function padSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > MAX_PAD_SECONDS) throw new UsageError(`--pad takes seconds from 0 to ${MAX_PAD_SECONDS} (got "${text}")`);
  return value;
}

function cutLocally(command: Command, group: string, video: string, options: CutOptions, pad: number): Promise<MemberCut> {
  return cancellable((signal) => withRuntime(command, async ({ context }, server) => {
    const onProgress = progressPrinter();
    return cutMember(context, { server, group, source: video, member: options.member, padSeconds: pad, outputPath: options.output, releaseInferenceBeforeRender: true, signal, ...(onProgress ? { onProgress } : {}) });
  }));
}

/** Through the workers: the clip goes up as a blob, the cut comes back. */
function cutQueued(command: Command, group: string, video: string, options: CutOptions, pad: number): Promise<MemberCut> {
  return withQueue(command, async (session) => {
    const clip = await session.clip(video);
    const result = await session.run('annotate', { group, clip, srt: false, chart: false, cut: { member: options.member, padSeconds: pad } }, progressPrinter());
    const { data } = result.answer;
    if (data.cut === undefined) throw new IdolensError('internal', 'The workers answered a cut with a whole labelled clip.');
    await session.saveFile(result, data.files.video, options.output);
    return { output: options.output, member: data.cut.member, stretches: data.cut.stretches, durationSeconds: data.cut.durationSeconds, sourceDurationSeconds: data.cut.sourceDurationSeconds, summary: data.summary };
  });
}

function cutLine(video: string, cut: MemberCut): string {
  const stretches = cut.stretches.map((stretch) => `${stretch.from.toFixed(1)}–${stretch.to.toFixed(1)} s`).join(', ');
  return `${video}: ${cut.member} ${cut.durationSeconds.toFixed(1)} s of ${cut.sourceDurationSeconds.toFixed(1)} s (${stretches}) → ${cut.output}`;
}

export function registerCut(program: Command, state: CommandState): void {
  program
    .command('cut <group> <video>')
    .description('a member\'s own cut: the stretches of a clip where she is on screen, labelled, joined with their sound')
    .requiredOption('--member <name>', 'the member to follow')
    .requiredOption('-o, --output <file.mp4>', 'where to write the cut')
    .option('--pad <seconds>', 'seconds kept before and after each stretch', String(DEFAULT_PAD_SECONDS))
    .option('--json', 'print one JSON object with the result')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .option(...FORCE_OPTION)
    .action(async (group: string, video: string, options: CutOptions, command: Command) => {
      const io = createIo(options.json === true);
      const pad = padSeconds(options.pad);
      await guardOutputs([options.output], [video], options.force === true);
      await mkdir(path.dirname(path.resolve(options.output)), { recursive: true });
      try {
        const cut = options.queue === true ? await cutQueued(command, group, video, options, pad) : await cutLocally(command, group, video, options, pad);
        if (io.json) io.resultJson(cutJson(cut));
        else io.result(cutLine(video, cut));
      } catch (error) {
        reportRefusedInput(io, state, video, error);
      }
    });
}
