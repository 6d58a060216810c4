import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_EMBEDDER, EMBEDDER_NAMES } from '../core/faces/embedder-info.ts';
import { benchSetup, currentCommit, progress } from './bench/bench-runtime.ts';
import { listFolderImages, listIdentities, REPO_ROOT, requireFacesRoot, type Identity } from './bench/faces-folder.ts';
import { readLabelledHeads } from './bench/group-photos.ts';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench/options.ts';
import { measurePhotos, type FaceSets, type PhotoMeasures } from './bench/photo-measures.ts';
import { comparisonTable, markdownReport, type ReportHeader } from './bench/report.ts';
import { measureQueue, queueRows } from './bench/queue.ts';
import { measureVideo } from './bench/video.ts';
import { screenTimeTable, strangerClipsTable, videoRows } from './bench/video-report.ts';

const OUTPUT_FILE = path.join(REPO_ROOT, 'bench-out', 'bench.json');

/** Group photos of people outside BLACKPINK, from every set that has some. */
const STRANGER_PICTURE_FOLDERS = [
  'multiface_vladmandic/_multi_face_unlabeled',
  'bbt_faceapijs/_multi_face_unlabeled',
  'deepface_testset/_multi_face_unlabeled',
  'le_sserafim_lens/_multi_face',
  'facenet_pytorch_misc/_multi_face',
];

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
    labelledHeads: await readLabelledHeads(),
    strangerPictures: (await Promise.all(STRANGER_PICTURE_FOLDERS.map(listFolderImages))).flat(),
  };
}

const loadNow = (): number => os.loadavg()[0] ?? Number.NaN;

function stopwatch(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
}

/** The default embedder first, then the others, each measured in this same run. */
const EMBEDDERS = [DEFAULT_EMBEDDER, ...EMBEDDER_NAMES.filter((name) => name !== DEFAULT_EMBEDDER)];

async function run(options: BenchOptions): Promise<void> {
  const total = stopwatch();
  const loadAtStart = loadNow();
  const commit = currentCommit(REPO_ROOT);
  const sets = await loadFaceSets(options.photosPerIdentity);
  const setup = benchSetup();
  const photos: PhotoMeasures[] = [];
  if (options.sections.photos) for (const embedder of EMBEDDERS) photos.push(await measurePhotos(options, sets, setup, embedder));
  const videoTiming = stopwatch();
  const loadBeforeVideo = loadNow();
  const video = options.sections.video ? await measureVideo(setup, sets, options.shots, EMBEDDERS) : undefined;
  const videoSeconds = videoTiming();
  const queueTiming = stopwatch();
  const queue = options.sections.queue ? await measureQueue(sets.blackpink, options.shots, options.queueJobs, options.queueRounds) : undefined;
  const phases: Record<string, number> = { ...Object.assign({}, ...photos.map((entry) => entry.phases)), ...(video ? { video: videoSeconds } : {}), ...(queue ? { queue: queueTiming() } : {}), total: total() };
  const [lead] = photos;
  const header: ReportHeader = {
    date: new Date().toISOString(),
    backend: lead?.engine.backend ?? setup.config.backend,
    workers: lead?.engine.workers ?? setup.config.workers,
    embedder: photos.length > 0 ? photos.map((entry) => entry.engine.embedder).join(' and ') : setup.config.embedder.name,
    node: process.version,
    commit,
    splits: options.splits,
    seed: options.seed,
    shots: options.shots,
    quick: options.quick,
    cpus: os.availableParallelism(),
    load: { start: loadAtStart, beforeTiming: lead?.loadBeforeTiming ?? loadBeforeVideo, end: loadNow() },
    phases,
  };
  const singleRows = [...(video ? videoRows(video) : []), ...(queue ? queueRows(queue) : [])];
  const markdown = [
    markdownReport(header, singleRows),
    ...(photos.length > 0 ? ['', `Photos, embedders side by side (${photos.map((entry) => entry.embedder).join(' | ')}):`, '', ...comparisonTable(photos.map((entry) => ({ label: entry.embedder, rows: entry.rows })))] : []),
    ...(video ? ['', screenTimeTable(video), '', strangerClipsTable(video)] : []),
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  await mkdir(path.dirname(OUTPUT_FILE), { recursive: true });
  const details = { photos: Object.fromEntries(photos.map((entry) => [entry.embedder, { rows: entry.rows, ...entry.details }])), ...(video ? { video } : {}), ...(queue ? { queue } : {}) };
  await writeFile(OUTPUT_FILE, `${JSON.stringify({ header, rows: singleRows, details, markdown }, null, 2)}\n`);
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
