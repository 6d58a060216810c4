import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { recognitionProfile } from '../core/faces/profiles.ts';
import { measureGroup, type GroupBench, type SplitSettings } from './bench/accuracy.ts';
import { benchSetup, currentCommit, progress, withRuntime, type BenchSetup } from './bench/bench-runtime.ts';
import { computeDescriptors } from './bench/descriptors.ts';
import { listFolderImages, listIdentities, REPO_ROOT, requireFacesRoot, type Identity } from './bench/faces-folder.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench/options.ts';
import { measureIdentifyOverhead } from './bench/overhead.ts';
import { accuracyRows, enrollRows, identifyRows, markdownReport, type ReportHeader, type ReportRow } from './bench/report.ts';
import { measureEnrollRates } from './bench/throughput.ts';
import { measureQueue, queueRows } from './bench/queue.ts';
import { measureVideo } from './bench/video.ts';
import { screenTimeTable, videoRows } from './bench/video-report.ts';

const OUTPUT_FILE = path.join(REPO_ROOT, 'bench-out', 'bench.json');

interface FaceSets {
  blackpink: Identity[];
  blackpinkExtra: Identity[];
  leSserafim: Identity[];
  deepface: Identity[];
  bbt: Identity[];
  groupPhotos: string[];
}

async function loadFaceSets(photosPerIdentity: number): Promise<FaceSets> {
  requireFacesRoot();
  const identities = async (set: string): Promise<Identity[]> =>
    (await listIdentities(set)).map((identity) => ({ name: identity.name, photos: identity.photos.slice(0, photosPerIdentity) }));
  return {
    blackpink: await identities('blackpink_celebfr'),
    blackpinkExtra: await identities('blackpink_extra'),
    leSserafim: await identities('le_sserafim_lens'),
    deepface: await identities('deepface_testset'),
    bbt: await identities('bbt_faceapijs'),
    groupPhotos: await listFolderImages('multiface_vladmandic/_multi_face_unlabeled'),
  };
}

/** blackpink_extra shows the same people as BLACKPINK, so it is a cross-source test there and never a stranger. */
function benchGroups(sets: FaceSets): GroupBench[] {
  return [
    {
      name: 'BLACKPINK',
      members: sets.blackpink,
      crossSource: sets.blackpinkExtra,
      strangers: [
        { label: 'deepface_testset', identities: sets.deepface },
        { label: 'bbt_faceapijs', identities: sets.bbt },
        { label: 'le_sserafim_lens', identities: sets.leSserafim },
      ],
    },
    {
      name: 'LE SSERAFIM',
      members: sets.leSserafim,
      strangers: [
        { label: 'deepface_testset', identities: sets.deepface },
        { label: 'bbt_faceapijs', identities: sets.bbt },
        { label: 'blackpink_celebfr', identities: sets.blackpink },
      ],
    },
  ];
}

/** The same BLACKPINK photos for both worker counts: the first few per member, and the next one per member to warm up. */
function enrollSets(sets: FaceSets, photos: number): { warmUp: Identity[]; measured: Identity[] } {
  const perMember = Math.ceil(photos / sets.blackpink.length);
  return {
    measured: sets.blackpink.map((member) => ({ name: member.name, photos: member.photos.slice(0, perMember) })),
    warmUp: sets.blackpink.map((member) => ({ name: member.name, photos: member.photos.slice(perMember, perMember + 1) })),
  };
}

/** Solo photos not enrolled in the timed group, and group photos of 3 to 6 strangers. */
function identifySet(sets: FaceSets, images: number, enrolledPerMember: number): string[] {
  const soloCount = Math.ceil(images / 2);
  const solo = sets.blackpink.map((member) => member.photos[enrolledPerMember + 2]).filter((photo): photo is string => photo !== undefined);
  return [...solo.slice(0, soloCount), ...sets.groupPhotos.slice(0, images - soloCount)];
}

const loadNow = (): number => os.loadavg()[0] ?? Number.NaN;

function stopwatch(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
}

interface PhotoMeasures {
  rows: ReportRow[];
  details: Record<string, unknown>;
  engine: { backend: string; workers: number; embedder: string };
  phases: Record<string, number>;
  loadBeforeTiming: number;
}

async function measurePhotos(options: BenchOptions, sets: FaceSets, setup: BenchSetup): Promise<PhotoMeasures> {
  const groups = benchGroups(sets);
  const photos = [...groups.flatMap((group) => [...group.members, ...(group.crossSource ?? []), ...group.strangers.flatMap((set) => set.identities)].flatMap((identity) => identity.photos))];
  const analysing = stopwatch();
  progress(`analysing ${new Set(photos).size} photos with ${setup.config.workers} worker(s)`);
  const analysis = await withRuntime(setup, setup.config.workers, async (runtime) => {
    const engine = await runtime.context.faces();
    return { cache: await computeDescriptors(runtime.context, photos), backend: engine.backend, workers: engine.size, embedder: runtime.context.embedder.id, profile: recognitionProfile(runtime.context.embedder) };
  });
  const analysisSeconds = analysing();
  const splitting = stopwatch();
  const settings: SplitSettings = { splits: options.splits, seed: options.seed, shots: options.shots, embedderId: analysis.embedder, profile: analysis.profile };
  const accuracy = groups.map((group) => measureGroup(group, analysis.cache, settings));
  const splitSeconds = splitting();
  progress(`accuracy done in ${splitSeconds.toFixed(1)} s; timing enrollment and identify`);
  const loadBeforeTiming = loadNow();
  const timing = stopwatch();
  const enrolling = enrollSets(sets, options.enrollPhotos);
  const identifyImages = identifySet(sets, options.identifyImages, enrolling.measured[0]?.photos.length ?? 0);
  const rates = await measureEnrollRates(setup, enrolling, options.enrollRounds, (runtime) => measureIdentifyOverhead(runtime, identifyImages, options.identifyRepeats));
  return {
    rows: [...accuracy.flatMap(accuracyRows), ...enrollRows(rates.oneWorker, rates.twoWorkers), ...identifyRows(rates.after)],
    details: { accuracy, enroll: { oneWorker: rates.oneWorker, twoWorkers: rates.twoWorkers }, identify: rates.after, identifyImages },
    engine: { backend: analysis.backend, workers: analysis.workers, embedder: analysis.embedder },
    phases: { analysis: analysisSeconds, splits: splitSeconds, 'enroll+identify timing': timing() },
    loadBeforeTiming,
  };
}

async function run(options: BenchOptions): Promise<void> {
  const total = stopwatch();
  const loadAtStart = loadNow();
  const commit = currentCommit(REPO_ROOT);
  const sets = await loadFaceSets(options.photosPerIdentity);
  const setup = benchSetup();
  const photoMeasures = options.sections.photos ? await measurePhotos(options, sets, setup) : undefined;
  const videoTiming = stopwatch();
  const loadBeforeVideo = loadNow();
  const video = options.sections.video ? await measureVideo(setup, sets.blackpink, options.shots) : undefined;
  const videoSeconds = videoTiming();
  const queueTiming = stopwatch();
  const queue = options.sections.queue ? await measureQueue(sets.blackpink, options.shots, options.queueJobs, options.queueRounds) : undefined;
  const phases: Record<string, number> = { ...(photoMeasures?.phases ?? {}), ...(video ? { video: videoSeconds } : {}), ...(queue ? { queue: queueTiming() } : {}), total: total() };
  const header: ReportHeader = {
    date: new Date().toISOString(),
    backend: photoMeasures?.engine.backend ?? setup.config.backend,
    workers: photoMeasures?.engine.workers ?? setup.config.workers,
    embedder: photoMeasures?.engine.embedder ?? 'n/a',
    node: process.version,
    commit,
    splits: options.splits,
    seed: options.seed,
    shots: options.shots,
    quick: options.quick,
    cpus: os.availableParallelism(),
    load: { start: loadAtStart, beforeTiming: photoMeasures?.loadBeforeTiming ?? loadBeforeVideo, end: loadNow() },
    phases,
  };
  const rows = [...(photoMeasures?.rows ?? []), ...(video ? videoRows(video) : []), ...(queue ? queueRows(queue) : [])];
  const markdown = [markdownReport(header, rows), ...(video ? ['', screenTimeTable(video)] : [])].join('\n');
  process.stdout.write(`${markdown}\n`);
  await mkdir(path.dirname(OUTPUT_FILE), { recursive: true });
  await writeFile(OUTPUT_FILE, `${JSON.stringify({ header, rows, details: { ...(photoMeasures?.details ?? {}), ...(video ? { video } : {}), ...(queue ? { queue } : {}) }, markdown }, null, 2)}\n`);
  progress(`wrote ${path.relative(REPO_ROOT, OUTPUT_FILE)}`);
}

async function main(): Promise<void> {
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  await run(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
