import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CoreContext } from '../../core/context.ts';
import { IdolensError } from '../../core/errors.ts';
import { annotateClipFile } from '../../services/annotate-service.ts';
import { enrollMemberPhotos } from '../../services/enroll-service.ts';
import { identifyPictures, isInputFailure } from '../../services/identify-service.ts';
import { trainGroupModel } from '../../services/train-service.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { withRuntime, type GlobalOptions } from '../session.ts';
import { reportLines } from './train.ts';
import { UsageError } from '../usage-error.ts';
import { plural } from '../../core/format.ts';

/** The shared photo sets sit beside the repository: ../shared/faces from its root. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_DEMO_SET = path.resolve(REPO_ROOT, '..', 'shared', 'faces', 'blackpink_celebfr');
/** The clip labelled after the photos when the demo runs on its own BLACKPINK set. */
const DEFAULT_DEMO_CLIP = path.resolve(REPO_ROOT, '..', 'shared', 'faces', 'videos', 'inyourarea_blackpink', 'ad.mp4');
const PHOTO = /\.(jpe?g|png|webp|gif|avif|tiff?|bmp)$/i;

interface DemoOptions {
  enroll: string;
  holdOut: string;
  output: string;
  clip?: string;
}

/** Labels a clip with the demo group: the MP4 with its audio, and the screen-time chart beside it. */
async function labelDemoClip(context: CoreContext, server: string, group: string, clip: string, outputDir: string, title: string): Promise<string[]> {
  const output = path.join(outputDir, `${path.basename(clip).replace(/\.[^.]+$/, '')}.labelled.mp4`);
  const result = await annotateClipFile(context, { server, group, source: clip, outputPath: output, releaseInferenceBeforeRender: true, srt: false, chart: true, chartTitle: title });
  const chart = path.join(outputDir, 'screen-time.png');
  if (result.chart !== undefined) await fs.writeFile(chart, result.chart);
  return [`Labelling the clip ${clip} → ${output}`, `  ${result.summary}; screen-time chart → ${chart}`];
}

/** Names the faces in each member's held-out photos, writes them labelled, and counts those that name their member. */
async function identifyHeldOut(context: CoreContext, where: { server: string; group: string; outputDir: string }, heldOut: { member: string; photos: string[] }[], print: (line: string) => void): Promise<void> {
  let right = 0;
  let total = 0;
  for (const { member, photos } of heldOut) {
    const pictures = photos.map((photo) => ({ source: photo, read: () => fs.readFile(photo) }));
    const outcomes = await identifyPictures(context, { server: where.server, group: where.group, pictures, detector: 'accurate', render: true, retryableFailures: 'report' });
    for (const outcome of outcomes) {
      const photo = outcome.picture.source;
      total += 1;
      if (isInputFailure(outcome.picture)) {
        print(`  ${member}/${path.basename(photo)}: ${outcome.picture.error.message}`);
        continue;
      }
      const written = path.join(where.outputDir, `${member}-${path.basename(photo).replace(/\.[^.]+$/, '')}.jpg`);
      if ('labelled' in outcome && outcome.labelled) await fs.writeFile(written, outcome.labelled);
      if (outcome.picture.faces.some((face) => face.name === member)) right += 1;
      print(`  ${member}/${path.basename(photo)}: ${outcome.picture.summary} → ${written}`);
    }
  }
  print(`${right} of ${total} held-out photos named their member.`);
}

async function memberFolders(root: string): Promise<{ member: string; photos: string[] }[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => {
    throw new IdolensError('not_found', `No demo photos at ${root}: pass a folder with one sub-folder of photos per member (idolens demo DIR).`);
  });
  const folders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
  const members = await Promise.all(folders.map(async (member) => ({
    member,
    photos: (await fs.readdir(path.join(root, member))).filter((name) => PHOTO.test(name)).sort().map((name) => path.join(root, member, name)),
  })));
  const usable = members.filter((entry) => entry.photos.length >= 2);
  if (usable.length < 2) throw new IdolensError('not_enough_members', `${root} needs at least two member folders with two photos or more each.`);
  return usable;
}

/** A whole number of photos, at least one: anything else is a usage mistake, not a silent default. */
function photoCount(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${option} takes a whole number of photos, at least 1 (got "${text}")`);
  return value;
}

/** The demo works on its own server, so that it never touches a real group: how to reach what it made. */
function nextSteps(server: string, group: string): string[] {
  return [
    `The demo's group is "${group}" on server "${server}" (the CLI's default server is "local"). To use it:`,
    `  idolens --server ${server} members ${group}`,
    `  idolens --server ${server} identify ${group} PHOTO -o labelled.jpg`,
  ];
}

export function registerDemo(program: Command, _state: CommandState): void {
  program
    .command('demo [dir]')
    .description('the whole pipeline on a folder laid out one sub-folder per member: enroll, train, label held-out photos (and a clip)')
    .option('--enroll <n>', 'photos per member to enroll', '5')
    .option('--hold-out <n>', 'photos per member to identify afterwards', '2')
    .option('-o, --output <dir>', 'where to write the labelled photos', path.join('out', 'demo'))
    .option('--clip <file>', 'also label this clip (default with the built-in set: the BLACKPINK ad)')
    .action(async (dir: string | undefined, options: DemoOptions, command: Command) => {
      const io = createIo(false);
      const root = path.resolve(dir ?? DEFAULT_DEMO_SET);
      const enrollCount = photoCount('--enroll', options.enroll);
      const holdOutCount = photoCount('--hold-out', options.holdOut);
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withRuntime(command, async ({ context }, server) => {
        const members = await memberFolders(root);
        const groupName = 'demo';
        if (await context.store.getGroup(server, groupName)) await context.store.deleteGroup(server, groupName);
        await context.store.createGroup(server, groupName);
        io.result(`Enrolling ${plural(members.length, 'member')} from ${root} (${plural(enrollCount, 'photo')} each)…`);
        for (const { member, photos } of members) {
          const { counts } = (await enrollMemberPhotos(context, { server, group: groupName, member, photos: { paths: photos.slice(0, enrollCount) }, layout: 'flat', addedBy: 'demo' })).result;
          io.result(`  ${member}: ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.duplicate} duplicate, ${counts.flagged} flagged`);
        }
        const trained = await trainGroupModel(context, { server, group: groupName, force: true });
        for (const line of reportLines(groupName, trained.report, trained.needPhotosAgain)) io.result(line);
        await fs.mkdir(options.output, { recursive: true });
        io.result(`Identifying ${holdOutCount} held-out photos per member → ${options.output}`);
        const heldOut = members.map(({ member, photos }) => ({ member, photos: photos.slice(enrollCount, enrollCount + holdOutCount) }));
        await identifyHeldOut(context, { server, group: groupName, outputDir: options.output }, heldOut, (line) => io.result(line));
        const clip = options.clip ?? (dir === undefined && existsSync(DEFAULT_DEMO_CLIP) ? DEFAULT_DEMO_CLIP : undefined);
        if (clip !== undefined) for (const line of await labelDemoClip(context, server, groupName, clip, options.output, dir === undefined ? 'BLACKPINK' : path.basename(root))) io.result(line);
        for (const line of nextSteps(server, groupName)) io.result(line);
      }, { server: globals.server === 'local' ? 'demo' : globals.server });
    });
}
