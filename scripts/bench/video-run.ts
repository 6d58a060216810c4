import { spawn } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import type { EmbedderName } from '../../core/faces/embedder-info.ts';
import { openRuntime } from '../../core/runtime.ts';
import type { ScreenTimeEntry } from '../../core/video/types.ts';
import type { BenchSetup } from './bench-runtime.ts';
import type { JsonTrack } from './face-recall.ts';
import { REPO_ROOT, type Identity } from './faces-folder.ts';
import { sampleTreeRss } from './process-memory.ts';

export interface AnnotateJson {
  output: string;
  durationSeconds: number;
  frames: number;
  width: number;
  height: number;
  members: ScreenTimeEntry[];
  tracks: (JsonTrack & { confidence: number })[];
  audio: string;
  bytes: number;
  timings?: Record<string, number>;
  analysis?: Record<string, number>;
}

export interface AnnotateRun {
  seconds: number;
  peakRssBytes: number;
  json: AnnotateJson;
}

export const SERVER = 'bench';

/** A group enrolled from the first `shots` photos of each member, in its own data folder. */
export async function enrollGroup(setup: BenchSetup, dataDir: string, group: string, members: readonly Identity[], shots: number): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const folder = path.join(dataDir, `photos-${group}`);
  for (const member of members) {
    await mkdir(path.join(folder, member.name), { recursive: true });
    await Promise.all(member.photos.slice(0, shots).map((photo) => symlink(photo, path.join(folder, member.name, path.basename(photo)))));
  }
  const runtime = await openRuntime({ ...setup.config, dataDir, storeUrl: undefined }, setup.logger);
  try {
    await runtime.context.store.createGroup(SERVER, group);
    await enrollPhotos(runtime.context, { server: SERVER, group, inputs: [folder], layout: 'member-folders', addedBy: 'bench' });
  } finally {
    await runtime.close();
  }
}

/** `idolens annotate` as a user runs it (a fresh process: start-up and model loading count), memory sampled. */
export function runAnnotate(dataDir: string, group: string, clip: string, output: string, embedder?: EmbedderName): Promise<AnnotateRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'idolens.js'), '--data', dataDir, '--server', SERVER, 'annotate', group, clip, '-o', output, '--force', '--json'], {
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
