import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { identifyImage } from '../../core/identify/identify.ts';
import { decodeImage } from '../../core/media/index.ts';
import type { Runtime } from '../../core/runtime.ts';
import type { DecodedImage } from '../../core/types.ts';
import { progress } from './bench-runtime.ts';
import { median } from './tally.ts';
import { BENCH_SERVER, MEASURED_GROUP } from './throughput.ts';

export interface ImageOverhead {
  image: string;
  faces: number;
  identifyMs: number;
  bareMs: number;
  renderMs: number;
}

export interface IdentifyOverhead {
  workers: number;
  repeats: number;
  images: ImageOverhead[];
  /** Sums of the per-image medians. */
  identifyMs: number;
  bareMs: number;
  renderMs: number;
  ratio: number;
  renderRatio: number;
  worstImageRatio: number;
}

interface LoadedImage {
  file: string;
  bytes: Buffer;
  raster: DecodedImage;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

function identify(runtime: Runtime, image: LoadedImage, render: boolean): Promise<{ faces: unknown[] }> {
  return identifyImage(runtime.context, { server: BENCH_SERVER, group: MEASURED_GROUP, bytes: image.bytes, source: image.file, render });
}

async function measureImage(runtime: Runtime, image: LoadedImage, repeats: number): Promise<ImageOverhead> {
  const engine = await runtime.context.faces();
  const identifyTimes: number[] = [];
  const bareTimes: number[] = [];
  const renderTimes: number[] = [];
  let faces = 0;
  for (let round = 0; round < repeats; round += 1) {
    const plain = await timed(() => identify(runtime, image, false));
    faces = plain.value.faces.length;
    identifyTimes.push(plain.ms);
    bareTimes.push((await timed(() => engine.analyzeBare(image.raster, 'accurate'))).ms);
    renderTimes.push((await timed(() => identify(runtime, image, true))).ms);
  }
  return { image: path.basename(image.file), faces, identifyMs: median(identifyTimes), bareMs: median(bareTimes), renderMs: median(renderTimes) };
}

/**
 * identifyImage (decode + analysis + classification) against face-api's bare chain on the already decoded
 * raster, image by image in the same runtime, after a warm-up that also trains the group's model.
 */
export async function measureIdentifyOverhead(runtime: Runtime, files: readonly string[], repeats: number): Promise<IdentifyOverhead> {
  const engine = await runtime.context.faces();
  const images: LoadedImage[] = await Promise.all(files.map(async (file) => {
    const bytes = await readFile(file);
    return { file, bytes, raster: await decodeImage(bytes, runtime.context.mediaLimits) };
  }));
  for (const image of [images[0], images[images.length - 1]]) {
    if (!image) continue;
    await identify(runtime, image, true);
    await engine.analyzeBare(image.raster, 'accurate');
  }
  const measured: ImageOverhead[] = [];
  for (const image of images) {
    measured.push(await measureImage(runtime, image, repeats));
    progress(`identify timing ${measured.length}/${images.length}`);
  }
  const sum = (pick: (entry: ImageOverhead) => number): number => measured.reduce((total, entry) => total + pick(entry), 0);
  const identifyMs = sum((entry) => entry.identifyMs);
  const bareMs = sum((entry) => entry.bareMs);
  const renderMs = sum((entry) => entry.renderMs);
  return {
    workers: engine.size,
    repeats,
    images: measured,
    identifyMs,
    bareMs,
    renderMs,
    ratio: identifyMs / bareMs,
    renderRatio: renderMs / bareMs,
    worstImageRatio: Math.max(...measured.map((entry) => entry.identifyMs / entry.bareMs)),
  };
}
