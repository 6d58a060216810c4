import os from 'node:os';
import type { EmbedderName } from '../../core/faces/embedder-info.ts';
import { recognitionProfile } from '../../core/faces/profiles.ts';
import { measureGroup, type GroupBench, type SplitSettings } from './accuracy.ts';
import { progress, withRuntime, type BenchSetup } from './bench-runtime.ts';
import { computeDescriptors } from './descriptors.ts';
import type { Identity } from './faces-folder.ts';
import { measureGroupPhotos, type LabelledHead } from './group-photos.ts';
import { measureHardFaces } from './hard-faces.ts';
import type { BenchOptions } from './options.ts';
import { measureIdentifyOverhead } from './overhead.ts';
import { groupPhotoRows, hardFaceRows, shotsRows } from './recognition-rows.ts';
import { accuracyRows, enrollRows, identifyRows, type ReportRow } from './report.ts';
import { measureEnrollRates } from './throughput.ts';

export interface FaceSets {
  blackpink: Identity[];
  blackpinkExtra: Identity[];
  leSserafim: Identity[];
  deepface: Identity[];
  bbt: Identity[];
  /** Group photos of strangers (3 to 6 people). */
  groupPhotos: string[];
  /** blackpink_group_dlcv: every member's head boxed and named. */
  labelledHeads: LabelledHead[];
  /** Every group photo of people outside BLACKPINK. */
  strangerPictures: string[];
}

export interface PhotoMeasures {
  embedder: EmbedderName;
  rows: ReportRow[];
  details: Record<string, unknown>;
  engine: { backend: string; workers: number; embedder: string };
  phases: Record<string, number>;
  loadBeforeTiming: number;
}

/** Portraits per member enrolled for the group-photo measures (few, as an admin starting a group would). */
const GROUP_PHOTO_SHOTS = 2;
const OTHER_SHOTS = [2, 10] as const;

const loadNow = (): number => os.loadavg()[0] ?? Number.NaN;

function stopwatch(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
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

function allPhotos(groups: readonly GroupBench[], sets: FaceSets): string[] {
  const identities = groups.flatMap((group) => [...group.members, ...(group.crossSource ?? []), ...group.strangers.flatMap((set) => set.identities)]);
  return [...new Set([...identities.flatMap((identity) => identity.photos), ...sets.labelledHeads.map((head) => head.image), ...sets.strangerPictures])];
}

/** Every photo measure with one embedder: accuracy at 5 (2, 10) photos per member, group photos, enrollment and identify time. */
export async function measurePhotos(options: BenchOptions, sets: FaceSets, base: BenchSetup, embedder: EmbedderName): Promise<PhotoMeasures> {
  const setup: BenchSetup = { ...base, config: { ...base.config, embedder: { ...base.config.embedder, name: embedder } } };
  const groups = benchGroups(sets);
  const photos = allPhotos(groups, sets);
  const analysing = stopwatch();
  progress(`${embedder}: analysing ${photos.length} photos with ${setup.config.workers} worker(s)`);
  const analysis = await withRuntime(setup, setup.config.workers, async (runtime) => {
    const { context } = runtime;
    const engine = await context.faces();
    const cache = await computeDescriptors(context, photos);
    progress(`${embedder}: hard faces (black and white, small, covered)`);
    const hard = await measureHardFaces(context, cache, sets.blackpink, { seed: options.seed, shots: options.shots, embedderId: context.embedder.id, profile: recognitionProfile(context.embedder) });
    return { cache, hard, backend: engine.backend, workers: engine.size, embedder: context.embedder };
  });
  const analysisSeconds = analysing();
  const splitting = stopwatch();
  const profile = recognitionProfile(analysis.embedder);
  const settings = (shots: number): SplitSettings => ({ splits: options.splits, seed: options.seed, shots, embedderId: analysis.embedder.id, profile });
  const accuracy = groups.map((group) => measureGroup(group, analysis.cache, settings(options.shots)));
  const otherShots = OTHER_SHOTS.flatMap((shots) => groups.map((group) => ({ shots, accuracy: measureGroup(group, analysis.cache, settings(shots)) })));
  const groupPhotoSets = { members: sets.blackpink, heads: sets.labelledHeads, strangerPictures: sets.strangerPictures, otherGroup: sets.leSserafim, western: sets.deepface };
  const groupPhotos = measureGroupPhotos(groupPhotoSets, analysis.cache, { ...settings(GROUP_PHOTO_SHOTS), shots: GROUP_PHOTO_SHOTS });
  const splitSeconds = splitting();
  progress(`${embedder}: accuracy done in ${splitSeconds.toFixed(1)} s; timing enrollment and identify`);
  const loadBeforeTiming = loadNow();
  const timing = stopwatch();
  const enrolling = enrollSets(sets, options.enrollPhotos);
  const identifyImages = identifySet(sets, options.identifyImages, enrolling.measured[0]?.photos.length ?? 0);
  const rates = await measureEnrollRates(setup, enrolling, options.enrollRounds, (runtime) => measureIdentifyOverhead(runtime, identifyImages, options.identifyRepeats));
  return {
    embedder,
    rows: [
      ...accuracy.flatMap(accuracyRows),
      ...otherShots.flatMap((entry) => shotsRows(entry.accuracy, entry.shots)),
      ...groupPhotoRows('BLACKPINK', groupPhotos, GROUP_PHOTO_SHOTS, options.splits),
      ...hardFaceRows(analysis.hard, options.shots),
      ...enrollRows(rates.oneWorker, rates.twoWorkers),
      ...identifyRows(rates.after),
    ],
    details: { accuracy, otherShots, groupPhotos, hardFaces: analysis.hard, enroll: { oneWorker: rates.oneWorker, twoWorkers: rates.twoWorkers }, identify: rates.after, identifyImages },
    engine: { backend: analysis.backend, workers: analysis.workers, embedder: analysis.embedder.id },
    phases: { [`${embedder} analysis`]: analysisSeconds, [`${embedder} splits`]: splitSeconds, [`${embedder} enroll+identify timing`]: timing() },
    loadBeforeTiming,
  };
}
