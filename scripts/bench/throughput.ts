import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos, type EnrollSummary } from '../../core/dataset/enroll.ts';
import type { Runtime } from '../../core/runtime.ts';
import { progress, withRuntime, type BenchSetup } from './bench-runtime.ts';
import type { Identity } from './faces-folder.ts';

export const BENCH_SERVER = 'bench';
export const MEASURED_GROUP = 'measured';

export interface EnrollRate {
  workers: number;
  photos: number;
  accepted: number;
  /** The fastest round: other processes on a shared machine only ever slow a round down. */
  seconds: number;
  photosPerSecond: number;
  roundSeconds: number[];
}

export interface EnrollPhotoSets {
  warmUp: Identity[];
  measured: Identity[];
}

/** A member-folders tree of symlinks to the shared photos, in a temp dir (the photos are never copied). */
async function linkMemberFolders(root: string, name: string, members: readonly Identity[]): Promise<string> {
  const folder = path.join(root, name);
  for (const member of members) {
    const memberFolder = path.join(folder, member.name);
    await mkdir(memberFolder, { recursive: true });
    await Promise.all(member.photos.map((photo) => symlink(photo, path.join(memberFolder, path.basename(photo)))));
  }
  return folder;
}

async function enrollFolder(context: CoreContext, group: string, folder: string): Promise<EnrollSummary> {
  await context.store.createGroup(BENCH_SERVER, group);
  return enrollPhotos(context, { server: BENCH_SERVER, group, inputs: [folder], layout: 'member-folders', addedBy: 'bench' });
}

interface TimingPlan {
  folders: { warmUp: string; measured: string };
  photos: number;
  rounds: number;
}

/** The last round enrolls into MEASURED_GROUP, the group identify is timed against. */
async function timeEnrollment(runtime: Runtime, plan: TimingPlan): Promise<EnrollRate> {
  const { context } = runtime;
  const workers = (await context.faces()).size;
  await enrollFolder(context, 'warm-up', plan.folders.warmUp);
  const roundSeconds: number[] = [];
  let accepted = 0;
  for (let round = 1; round <= plan.rounds; round += 1) {
    const started = performance.now();
    const summary = await enrollFolder(context, round === plan.rounds ? MEASURED_GROUP : `round-${round}`, plan.folders.measured);
    roundSeconds.push((performance.now() - started) / 1000);
    accepted = summary.counts.accepted;
    progress(`enrolled ${plan.photos} photos with ${workers} worker(s) in ${roundSeconds.at(-1)?.toFixed(1)} s (${accepted} accepted)`);
  }
  const seconds = Math.min(...roundSeconds);
  return { workers, photos: plan.photos, accepted, seconds, photosPerSecond: plan.photos / seconds, roundSeconds };
}

/**
 * Real enrollPhotos into a memory store, timed in `rounds` fresh groups after a warm-up enrollment of other photos. `afterOneWorker`
 * runs on the 1-worker runtime once its timing is done, with the measured group enrolled (for identify timing).
 */
export async function measureEnrollRates<T>(
  setup: BenchSetup,
  sets: EnrollPhotoSets,
  rounds: number,
  afterOneWorker: (runtime: Runtime) => Promise<T>,
): Promise<{ oneWorker: EnrollRate; twoWorkers: EnrollRate; after: T }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'idolens-bench-'));
  try {
    const folders = { warmUp: await linkMemberFolders(root, 'warm-up', sets.warmUp), measured: await linkMemberFolders(root, 'measured', sets.measured) };
    const plan: TimingPlan = { folders, rounds, photos: sets.measured.reduce((sum, member) => sum + member.photos.length, 0) };
    const first = await withRuntime(setup, 1, async (runtime) => {
      const rate = await timeEnrollment(runtime, plan);
      return { rate, after: await afterOneWorker(runtime) };
    });
    const twoWorkers = await withRuntime(setup, 2, (runtime) => timeEnrollment(runtime, plan));
    return { oneWorker: first.rate, twoWorkers, after: first.after };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
