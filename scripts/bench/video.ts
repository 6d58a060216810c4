import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { openRuntime } from '../../core/runtime.ts';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import { resolveMediaTools } from '../../core/video/ffmpeg/tools.ts';
import type { ScreenTimeEntry } from '../../core/video/types.ts';
import { progress, type BenchSetup } from './bench-runtime.ts';
import type { EmbedderName } from '../../core/faces/embedder-info.ts';
import { FACES_ROOT, REPO_ROOT, type Identity } from './faces-folder.ts';
import { sampleTreeRss } from './process-memory.ts';
import { build1080pClip, loopClip, sharedClip } from './video-clips.ts';

export interface AnnotateRun {
  seconds: number;
  peakRssBytes: number;
  json: AnnotateJson;
}

interface AnnotateJson {
  output: string;
  durationSeconds: number;
  frames: number;
  members: ScreenTimeEntry[];
  tracks: { name: string | null; from: number; to: number }[];
  audio: string;
  bytes: number;
  timings?: Record<string, number>;
}

/** One embedder on the clips whose people are known: the BLACKPINK ad, and every clip of strangers. */
export interface ClipNames {
  embedder: EmbedderName;
  ad: AnnotateRun;
  strangers: { clip: string; tracks: number; named: { name: string; from: number; to: number }[] }[];
}

export interface VideoBench {
  clip: { seconds: number; frames: number };
  plainSeconds: number[];
  annotate: AnnotateRun[];
  ratio: number;
  audioIdentical: boolean;
  long: AnnotateRun & { clipSeconds: number };
  names: ClipNames[];
}

const GROUP = 'BLACKPINK';
const SERVER = 'bench';

async function enrollGroup(setup: BenchSetup, dataDir: string, members: readonly Identity[], shots: number): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const folder = path.join(dataDir, 'photos');
  for (const member of members) {
    await mkdir(path.join(folder, member.name), { recursive: true });
    await Promise.all(member.photos.slice(0, shots).map((photo) => symlink(photo, path.join(folder, member.name, path.basename(photo)))));
  }
  const runtime = await openRuntime({ ...setup.config, dataDir, storeUrl: undefined }, setup.logger);
  try {
    await runtime.context.store.createGroup(SERVER, GROUP);
    await enrollPhotos(runtime.context, { server: SERVER, group: GROUP, inputs: [folder], layout: 'member-folders', addedBy: 'bench' });
  } finally {
    await runtime.close();
  }
}

/** `idolens annotate` as a user runs it (a fresh process: start-up and model loading count), memory sampled. */
function runAnnotate(dataDir: string, clip: string, output: string, embedder?: EmbedderName): Promise<AnnotateRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'idolens.js'), '--data', dataDir, '--server', SERVER, 'annotate', GROUP, clip, '-o', output, '--json'], {
      env: { ...process.env, IDOLENS_LOG_LEVEL: 'warn', ...(embedder === undefined ? {} : { IDOLENS_EMBEDDER: embedder }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const memory = sampleTreeRss(child.pid ?? 0);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.once('error', reject);
    child.once('close', (code) => {
      const peakRssBytes = memory.stop();
      if (code !== 0) return reject(new Error(`idolens annotate exited with ${code}: ${stdout}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssBytes, json: JSON.parse(stdout) as AnnotateJson });
    });
  });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function audioDigest(ffmpeg: string, file: string): Promise<string> {
  const result = await runTool(ffmpeg, { args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-map', '0:a:0', '-f', 'md5', '-'], timeoutMs: 300_000 });
  return result.stdout.toString('utf8').trim();
}

/**
 * The clip timings: `idolens annotate` against a plain x264 veryfast re-encode of the same 1080p30 clip (alternating,
 * two rounds, fastest of each), peak memory on a 3-minute loop of it, and the BLACKPINK ad's screen time.
 */
export async function measureVideo(setup: BenchSetup, blackpink: readonly Identity[], shots: number, embedders: readonly EmbedderName[]): Promise<VideoBench> {
  const { ffmpeg } = resolveMediaTools(setup.config.mediaTools);
  const work = await mkdtemp(path.join(os.tmpdir(), 'idolens-bench-video-'));
  try {
    const clipFolder = path.join(REPO_ROOT, 'bench-out', 'video');
    progress('building the 1080p30 bench clip from the shared clips');
    const clip = await build1080pClip(ffmpeg.path, clipFolder);
    const dataDir = path.join(work, 'data');
    progress(`enrolling ${GROUP} (${shots} photos per member) for the clip runs`);
    await enrollGroup(setup, dataDir, blackpink, shots);
    const plainSeconds: number[] = [];
    const annotate: AnnotateRun[] = [];
    for (let round = 1; round <= 2; round += 1) {
      plainSeconds.push(await timed(() => runTool(ffmpeg.path, { args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'copy', path.join(work, 'plain.mp4')], timeoutMs: 600_000 })));
      annotate.push(await runAnnotate(dataDir, clip, path.join(work, 'annotated.mp4')));
      progress(`round ${round}: plain re-encode ${plainSeconds.at(-1)?.toFixed(1)} s, idolens annotate ${annotate.at(-1)?.seconds.toFixed(1)} s`);
    }
    const audioIdentical = (await audioDigest(ffmpeg.path, clip)) === (await audioDigest(ffmpeg.path, path.join(work, 'annotated.mp4')));
    progress('looping the clip to 3 minutes for the memory run');
    const longClip = await loopClip(ffmpeg.path, clip, 180, clipFolder);
    const long = { ...(await runAnnotate(dataDir, longClip, path.join(work, 'long.mp4'))), clipSeconds: 180 };
    progress(`3-minute clip: ${long.seconds.toFixed(1)} s, peak ${(long.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    const names: ClipNames[] = [];
    for (const embedder of embedders) names.push(await namesOnClips(setup, embedder, path.join(work, `data-${embedder}`), blackpink, shots, clipFolder));
    const fastestPlain = Math.min(...plainSeconds);
    const fastestAnnotate = Math.min(...annotate.map((run) => run.seconds));
    const first = annotate[0]?.json;
    return { clip: { seconds: first?.durationSeconds ?? 0, frames: first?.frames ?? 0 }, plainSeconds, annotate, ratio: fastestAnnotate / fastestPlain, audioIdentical, long, names };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Every shared clip whose people are all outside BLACKPINK: a crowd, talking heads, head-turn close-ups. */
async function strangerClips(): Promise<string[]> {
  const folders = ['facenet-pytorch', 'video-retalking', 'liveportrait'];
  const lists = await Promise.all(folders.map(async (folder) => (await readdir(path.join(FACES_ROOT, 'videos', folder))).filter((name) => name.endsWith('.mp4')).sort().map((name) => `${folder}/${name}`)));
  return lists.flat();
}

/** BLACKPINK enrolled with this embedder, then the ad and every stranger clip annotated as a user would. */
async function namesOnClips(setup: BenchSetup, embedder: EmbedderName, dataDir: string, blackpink: readonly Identity[], shots: number, clipFolder: string): Promise<ClipNames> {
  progress(`${embedder}: the BLACKPINK ad and the stranger clips`);
  await enrollGroup({ ...setup, config: { ...setup.config, embedder: { ...setup.config.embedder, name: embedder } } }, dataDir, blackpink, shots);
  const ad = await runAnnotate(dataDir, sharedClip('inyourarea_blackpink/ad.mp4'), path.join(clipFolder, `ad.${embedder}.labelled.mp4`), embedder);
  const strangers: ClipNames['strangers'] = [];
  for (const clip of await strangerClips()) {
    const run = await runAnnotate(dataDir, sharedClip(clip), path.join(dataDir, 'stranger.mp4'), embedder);
    const named = run.json.tracks.flatMap((track) => (track.name === null ? [] : [{ name: track.name, from: track.from, to: track.to }]));
    strangers.push({ clip, tracks: run.json.tracks.length, named });
  }
  return { embedder, ad, strangers };
}
