import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { expandInputs, type IntakeEntry } from '../../core/intake/index.ts';
import { identifyPictures, isInputFailure, type IdentifiedPicture, type InputFailure, type PictureOutcome } from '../../services/identify-service.ts';
import { createIo, EXIT, type CliIo } from '../io.ts';
import { FORCE_OPTION, guardOutputs } from '../output-guard.ts';
import { batchProgress } from '../progress-bar.ts';
import { withQueue } from '../queue-session.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime } from '../session.ts';

interface IdentifyOptions {
  output?: string;
  json?: boolean;
  fast?: boolean;
  queue?: boolean;
  force?: boolean;
}

/** An output path that names a folder: one that exists, or one written with a trailing slash. */
async function isFolderOutput(output: string): Promise<boolean> {
  return output.endsWith('/') || (await fs.stat(output).then((info) => info.isDirectory(), () => false));
}

type OutputPlan = { kind: 'none' } | { kind: 'file'; path: string } | { kind: 'dir'; path: string };

async function outputPlan(output: string | undefined, count: number): Promise<OutputPlan> {
  if (output === undefined) return { kind: 'none' };
  const isDir = await fs.stat(output).then((stat) => stat.isDirectory(), () => false);
  if (count === 1 && !isDir && !output.endsWith('/')) {
    await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
    return { kind: 'file', path: output };
  }
  await fs.mkdir(output, { recursive: true });
  return { kind: 'dir', path: output };
}

function labelledName(source: string, used: Set<string>): string {
  const base = path.basename(source.split(/[?#]/)[0] ?? 'image').replace(/\.[^.]+$/, '') || 'image';
  let name = `${base}.labelled.jpg`;
  for (let index = 2; used.has(name); index += 1) name = `${base}-${index}.labelled.jpg`;
  used.add(name);
  return name;
}

function print(io: CliIo, picture: IdentifiedPicture | InputFailure, written: string | undefined): void {
  if (isInputFailure(picture)) {
    if (io.json) io.resultJson({ file: picture.source, error: picture.error });
    io.problem(`${picture.source}: ${picture.error.message}`);
    return;
  }
  if (io.json) {
    io.resultJson({ file: picture.source, width: picture.width, height: picture.height, faces: picture.faces, summary: picture.summary, ...(written ? { output: written } : {}) });
    return;
  }
  io.result(`${picture.source}: ${picture.summary}${written ? ` → ${written}` : ''}`);
}

/** Writes an outcome's labelled picture (when asked) and prints its line: the same for every picture, local or queued. */
type Deliver = (outcome: PictureOutcome) => Promise<void>;

function deliverer(io: CliIo, state: CommandState, plan: OutputPlan, images: readonly string[]): Deliver {
  const used = new Set<string>();
  return async ({ picture, ...rest }) => {
    let written: string | undefined;
    if ('labelled' in rest && rest.labelled && plan.kind !== 'none') {
      written = plan.kind === 'file' ? plan.path : path.join(plan.path, labelledName(picture.source, used));
      // A name of our own in the output folder may still be one of the pictures (run on the folder it writes to).
      if (plan.kind === 'dir') await guardOutputs([written], images, true);
      await fs.writeFile(written, rest.labelled);
    }
    if (isInputFailure(picture)) state.exitCode = EXIT.badInput;
    print(io, picture, written);
  };
}

/** Locally: each picture's line as soon as it and those before it are done, under a progress bar at a terminal. */
async function identifyLocally(command: Command, request: { group: string; images: string[]; render: boolean; fast: boolean; output: string | undefined; io: CliIo; state: CommandState }): Promise<void> {
  await withRuntime(command, async ({ context }, server) => {
    const pictures: IntakeEntry[] = [];
    for await (const entry of expandInputs(request.images, { layout: 'flat', limits: context.intakeLimits, allowPrivateNetwork: context.allowPrivateNetwork })) pictures.push(entry);
    const plan = await outputPlan(request.output, pictures.length);
    const progress = batchProgress(pictures.length, 'pictures', { json: request.io.json });
    const deliver = deliverer(progress.io(request.io), request.state, plan, request.images);
    try {
      // Nobody runs a CLI command again on its own: a failed download is reported with its picture, like a bad one.
      await identifyPictures(context, {
        server, group: request.group, pictures, render: request.render, detector: request.fast ? 'fast' : 'accurate', retryableFailures: 'report',
        onOutcome: async (outcome) => {
          await deliver(outcome);
          progress.tick();
        },
      });
    } finally {
      progress.stop();
    }
  });
}

/** Through the workers: the labelled pictures come back as the answer's files. */
async function identifyQueued(command: Command, group: string, images: string[], render: boolean, fast: boolean): Promise<PictureOutcome[]> {
  return withQueue(command, async (session) => {
    const inputs = await session.inputs(images, 'flat');
    const result = await session.run('identify', { group, inputs, detector: fast ? 'fast' : 'accurate', render });
    return Promise.all(result.answer.data.pictures.map(async (picture): Promise<PictureOutcome> => {
      if (isInputFailure(picture)) return { picture };
      const { file, ...rest } = picture;
      if (file === undefined) return { picture: rest };
      return { picture: rest, labelled: Buffer.from(await session.fetchFile(result, file)) };
    }));
  });
}

export function registerIdentify(program: Command, state: CommandState): void {
  program
    .command('identify <group> <images...>')
    .description('name every face in pictures (files, folders or http(s) URLs)')
    .option('-o, --output <path>', 'write the labelled picture here (a directory when several pictures)')
    .option('--json', 'one JSON line per picture')
    .option('--fast', 'use the fast detector (misses more small faces)')
    .option('--queue', 'run it on the job workers (needs REDIS_URL)')
    .option(...FORCE_OPTION)
    .action(async (group: string, images: string[], options: IdentifyOptions, command: Command) => {
      const io = createIo(options.json === true);
      const render = options.output !== undefined;
      if (options.output !== undefined && !(await isFolderOutput(options.output))) await guardOutputs([options.output], images, options.force === true);
      const fast = options.fast === true;
      if (options.queue !== true) {
        await identifyLocally(command, { group, images, render, fast, output: options.output, io, state });
        return;
      }
      const pictures = await identifyQueued(command, group, images, render, fast);
      const deliver = deliverer(io, state, await outputPlan(options.output, pictures.length), images);
      for (const outcome of pictures) await deliver(outcome);
    });
}
