import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { mapConcurrent } from '../../core/concurrency.ts';
import type { CoreContext } from '../../core/context.ts';
import { identifyImage, type IdentifyResult } from '../../core/identify/identify.ts';
import { currentModel } from '../../core/training/train-group.ts';
import { expandInputs, isInputError, type InputItem } from '../../core/intake/index.ts';
import { createIo, errorLine, EXIT, type CliIo } from '../io.ts';
import type { CommandState } from '../main.ts';
import { withRuntime } from '../session.ts';

interface IdentifyOptions {
  output?: string;
  json?: boolean;
  fast?: boolean;
}

type Outcome = { source: string; result: IdentifyResult } | { source: string; error: unknown };

async function outputPlan(output: string | undefined, count: number): Promise<{ kind: 'none' } | { kind: 'file'; path: string } | { kind: 'dir'; path: string }> {
  if (output === undefined) return { kind: 'none' };
  const isDir = await fs.stat(output).then((stat) => stat.isDirectory(), () => false);
  if (count === 1 && !isDir && !output.endsWith('/')) return { kind: 'file', path: output };
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

function print(io: CliIo, outcome: Outcome, written: string | undefined): void {
  if ('error' in outcome) {
    if (io.json) io.resultJson(errorLine(outcome.source, outcome.error));
    io.problem(`${outcome.source}: ${errorLine(outcome.source, outcome.error).error.message}`);
    return;
  }
  const { result } = outcome;
  if (io.json) {
    io.resultJson({ file: result.source, width: result.width, height: result.height, faces: result.faces, summary: result.summary, ...(written ? { output: written } : {}) });
    return;
  }
  io.result(`${result.source}: ${result.summary}${written ? ` → ${written}` : ''}`);
}

async function identifyOne(context: CoreContext, server: string, group: string, item: InputItem, render: boolean, fast: boolean): Promise<Outcome> {
  try {
    const bytes = await item.read();
    return { source: item.source, result: await identifyImage(context, { server, group, bytes, source: item.source, render, detector: fast ? 'fast' : 'accurate' }) };
  } catch (error) {
    return { source: item.source, error };
  }
}

export function registerIdentify(program: Command, state: CommandState): void {
  program
    .command('identify <group> <images...>')
    .description('name every face in pictures (files, folders or http(s) URLs)')
    .option('-o, --output <path>', 'write the labelled picture here (a directory when several pictures)')
    .option('--json', 'one JSON line per picture')
    .option('--fast', 'use the fast detector (misses more small faces)')
    .action(async (group: string, images: string[], options: IdentifyOptions, command: Command) => {
      const io = createIo(options.json === true);
      await withRuntime(command, async ({ context }, server) => {
        await currentModel(context, server, group);
        const entries = [];
        for await (const entry of expandInputs(images, { layout: 'flat', limits: context.intakeLimits, allowPrivateNetwork: context.allowPrivateNetwork })) entries.push(entry);
        const plan = await outputPlan(options.output, entries.length);
        const engine = await context.faces();
        const outcomes = await mapConcurrent(entries, engine.size, async (entry): Promise<Outcome> => (isInputError(entry)
          ? { source: entry.source, error: entry.error }
          : identifyOne(context, server, group, entry, plan.kind !== 'none', options.fast === true)));
        const used = new Set<string>();
        for (const outcome of outcomes) {
          let written: string | undefined;
          if ('result' in outcome && outcome.result.labelled && plan.kind !== 'none') {
            written = plan.kind === 'file' ? plan.path : path.join(plan.path, labelledName(outcome.source, used));
            await fs.writeFile(written, outcome.result.labelled.jpeg);
          }
          if ('error' in outcome) state.exitCode = EXIT.badInput;
          print(io, outcome, written);
        }
      });
    });
}
