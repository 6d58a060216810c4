import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EmbedderName } from '../../core/faces/embedder-info.ts';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import { resolveMediaTools } from '../../core/video/ffmpeg/tools.ts';
import { progress, type BenchSetup } from './bench-runtime.ts';
import { FACES_ROOT, REPO_ROOT, type Identity } from './faces-folder.ts';
import { buildBenchClip, loopClip, sharedClip } from './video-clips.ts';
import { measureRecall, type RecallBench } from './video-recall.ts';
import { enrollGroup, runAnnotate, type AnnotateRun } from './video-run.ts';

export type { AnnotateRun } from './video-run.ts';

/** One group enrolled with one embedder on the clips whose people are known: the BLACKPINK ad, and every clip of strangers. */
export interface ClipNames {
  embedder: EmbedderName;
  group: string;
  ad?: AnnotateRun;
  strangers: { clip: string; tracks: number; named: { name: string; from: number; to: number }[] }[];
}

/** `idolens annotate` against a plain x264 veryfast re-encode of the same clip, alternating, fastest of each. */
export interface SpeedRun {
  height: number;
  clip: { seconds: number; frames: number };
  plainSeconds: number[];
  annotate: AnnotateRun[];
  ratio: number;
}

export interface VideoBench {
  speed: SpeedRun[];
  audioIdentical: boolean;
  long: AnnotateRun & { clipSeconds: number };
  recall: RecallBench;
  names: ClipNames[];
}

const GROUP = 'BLACKPINK';
const STRANGER_GROUP = 'LE SSERAFIM';
const LONG_CLIP_SECONDS = 300;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function audioDigest(ffmpeg: string, file: string): Promise<string> {
  const result = await runTool(ffmpeg, { args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-map', '0:a:0', '-f', 'md5', '-'], timeoutMs: 300_000 });
  return result.stdout.toString('utf8').trim();
}

async function measureSpeed(ffmpeg: string, clip: string, height: number, work: string, annotate: (clip: string, output: string) => Promise<AnnotateRun>): Promise<SpeedRun> {
  const plainSeconds: number[] = [];
  const runs: AnnotateRun[] = [];
  for (let round = 1; round <= 2; round += 1) {
    plainSeconds.push(await timed(() => runTool(ffmpeg, { args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'copy', path.join(work, 'plain.mp4')], timeoutMs: 600_000 })));
    runs.push(await annotate(clip, path.join(work, `annotated-${height}p.mp4`)));
    progress(`${height}p round ${round}: plain re-encode ${plainSeconds.at(-1)?.toFixed(1)} s, idolens annotate ${runs.at(-1)?.seconds.toFixed(1)} s`);
  }
  const first = runs[0]?.json;
  const ratio = Math.min(...runs.map((run) => run.seconds)) / Math.min(...plainSeconds);
  return { height, clip: { seconds: first?.durationSeconds ?? 0, frames: first?.frames ?? 0 }, plainSeconds, annotate: runs, ratio };
}

/**
 * The clip measures: annotate against a plain re-encode at 1080p30 and 720p30, peak memory on a 5-minute 1080p
 * clip, small faces (crowd, vertical, panning group photos), and names on the ad and on clips of strangers.
 */
export async function measureVideo(setup: BenchSetup, sets: { blackpink: readonly Identity[]; leSserafim: readonly Identity[] }, shots: number, embedders: readonly EmbedderName[]): Promise<VideoBench> {
  const { ffmpeg } = resolveMediaTools(setup.config.mediaTools);
  const work = await mkdtemp(path.join(os.tmpdir(), 'idolens-bench-video-'));
  try {
    const clipFolder = path.join(REPO_ROOT, 'bench-out', 'video');
    progress('building the 1080p30 and 720p30 bench clips from the shared clips');
    const clips = [await buildBenchClip(ffmpeg.path, clipFolder, 1080), await buildBenchClip(ffmpeg.path, clipFolder, 720)];
    const dataDir = path.join(work, 'data');
    progress(`enrolling ${GROUP} (${shots} photos per member) for the clip runs`);
    await enrollGroup(setup, dataDir, GROUP, sets.blackpink, shots);
    const annotate = (clip: string, output: string): Promise<AnnotateRun> => runAnnotate(dataDir, GROUP, clip, output);
    const speed: SpeedRun[] = [];
    for (const [index, clip] of clips.entries()) speed.push(await measureSpeed(ffmpeg.path, clip, index === 0 ? 1080 : 720, work, annotate));
    const audioIdentical = (await audioDigest(ffmpeg.path, clips[0] ?? '')) === (await audioDigest(ffmpeg.path, path.join(work, 'annotated-1080p.mp4')));
    progress(`looping the 1080p clip to ${LONG_CLIP_SECONDS / 60} minutes for the memory run`);
    const longClip = await loopClip(ffmpeg.path, clips[0] ?? '', LONG_CLIP_SECONDS, clipFolder);
    const long = { ...(await annotate(longClip, path.join(work, 'long.mp4'))), clipSeconds: LONG_CLIP_SECONDS };
    progress(`${LONG_CLIP_SECONDS / 60}-minute clip: ${long.seconds.toFixed(1)} s, peak ${(long.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    const recall = await measureRecall(setup, ffmpeg.path, clipFolder, (clip, name) => annotate(clip, path.join(clipFolder, `${name}.labelled.mp4`)));
    const names: ClipNames[] = [];
    for (const embedder of embedders) names.push(await namesOnClips(setup, embedder, path.join(work, `data-${embedder}`), GROUP, sets.blackpink, shots, clipFolder));
    const first = embedders[0];
    if (first !== undefined) names.push(await namesOnClips(setup, first, path.join(work, `data-${first}-lsf`), STRANGER_GROUP, sets.leSserafim, shots, clipFolder));
    return { speed, audioIdentical, long, recall, names };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Every shared clip whose people are all outside BLACKPINK and LE SSERAFIM: a crowd, talking heads, head-turn close-ups. */
async function strangerClips(): Promise<string[]> {
  const folders = ['facenet-pytorch', 'video-retalking', 'liveportrait'];
  const lists = await Promise.all(folders.map(async (folder) => (await readdir(path.join(FACES_ROOT, 'videos', folder))).filter((name) => name.endsWith('.mp4')).sort().map((name) => `${folder}/${name}`)));
  return lists.flat();
}

/** A group enrolled with this embedder, then (for BLACKPINK) the ad and every stranger clip annotated as a user would. */
async function namesOnClips(setup: BenchSetup, embedder: EmbedderName, dataDir: string, group: string, members: readonly Identity[], shots: number, clipFolder: string): Promise<ClipNames> {
  progress(`${embedder}, ${group} enrolled: ${group === GROUP ? 'the BLACKPINK ad and ' : ''}the stranger clips`);
  await enrollGroup({ ...setup, config: { ...setup.config, embedder: { ...setup.config.embedder, name: embedder } } }, dataDir, group, members, shots);
  const ad = group === GROUP ? await runAnnotate(dataDir, group, sharedClip('inyourarea_blackpink/ad.mp4'), path.join(clipFolder, `ad.${embedder}.labelled.mp4`), embedder) : undefined;
  const strangers: ClipNames['strangers'] = [];
  for (const clip of await strangerClips()) {
    const run = await runAnnotate(dataDir, group, sharedClip(clip), path.join(dataDir, 'stranger.mp4'), embedder);
    const named = run.json.tracks.flatMap((track) => (track.name === null ? [] : [{ name: track.name, from: track.from, to: track.to }]));
    strangers.push({ clip, tracks: run.json.tracks.length, named });
  }
  return { embedder, group, ...(ad ? { ad } : {}), strangers };
}
