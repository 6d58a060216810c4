import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendPreference } from '../../models/backend.ts';
import type { Logger } from '../logger.ts';
import type { DecodedImage, DetectorKind, EmbedderInfo } from '../types.ts';
import type { AnalyzedFace, AnalyzeRequest } from './analyze.ts';
import type { FrameFace, FrameRequest } from './analyze-frame.ts';
import { DEFAULT_EMBEDDER, embedderInfo } from './embedder-info.ts';
import type { FaceCrop } from './face-crop.ts';
import type { EmbedderSettings } from './load-embedder.ts';
import { transferables, type FaceWorkerData, type WorkerReady, type WorkerReply, type WorkerTask } from './worker-protocol.ts';
import { faceWorkerEntry } from './worker-bundle.ts';

export interface FaceEngineOptions {
  workers?: number;
  backend?: BackendPreference;
  embedder?: EmbedderSettings;
  logger: Logger;
}

interface WorkerSettings {
  workers: number;
  data: FaceWorkerData;
  entry: URL;
}

interface Pending {
  task: WorkerTask;
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

/**
 * Face analysis on a pool of worker threads, each with its own TF backend (WASM has no threads in Node,
 * so parallelism comes from workers). Rasters are copied and transferred; the event loop never runs inference.
 */
/** One inference thread per core (at most 8: each holds its own copy of the networks). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

export class FaceEngine {
  readonly embedder: EmbedderInfo;
  readonly backend: string;
  /** Workers the pool grows to: the first starts at once, the others when work waits for a free one. */
  readonly size: number;
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly options: WorkerSettings;
  private readonly logger: Logger;
  private starting = 0;
  private growthFailed = false;
  private nextId = 1;
  private closed = false;

  private constructor(slots: Slot[], backend: string, options: WorkerSettings, logger: Logger) {
    this.slots = slots;
    this.backend = backend;
    this.size = options.workers;
    this.options = options;
    this.logger = logger;
    this.embedder = embedderInfo(options.data.embedder.name);
    for (const slot of slots) this.listen(slot);
  }

  /** Workers started and ready (one right after start; up to `size` once work has queued up). */
  get readyWorkers(): number {
    return this.slots.length;
  }

  /**
   * Starts one worker and returns when it is ready. Each further worker costs about a core-second to load its
   * networks: a one-shot run with little to do (the CLI on a short clip) should not pay for workers it never uses.
   */
  static async start(options: FaceEngineOptions): Promise<FaceEngine> {
    const settings: WorkerSettings = {
      workers: Math.max(1, options.workers ?? defaultWorkerCount()),
      data: { backend: options.backend ?? 'auto', embedder: options.embedder ?? { name: DEFAULT_EMBEDDER, onnxRuntime: 'auto' } },
      entry: await faceWorkerEntry(options.logger),
    };
    const first = await spawn(settings);
    const { backend, embedderRuntime, notes } = first.ready;
    options.logger.info({ backend, embedder: embedderInfo(settings.data.embedder.name).id, embedderRuntime, workers: settings.workers, fallbacks: notes }, 'face engine ready');
    return new FaceEngine([first.slot], backend, settings, options.logger);
  }

  /** Starts every worker up to `size` now and resolves when they are ready: for long-running processes and timings. */
  async startAllWorkers(): Promise<void> {
    const missing = this.size - this.slots.length - this.starting;
    const started = await Promise.allSettled(Array.from({ length: Math.max(0, missing) }, () => spawn(this.options)));
    for (const result of started) if (result.status === 'fulfilled') this.adopt(result.value.slot);
    this.dispatch();
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
  }

  /** Every face with its descriptor; with `crops`, each face's levelled crop too (what a sample keeps). */
  async analyze(image: DecodedImage, detector: DetectorKind, options: { crops?: boolean } = {}): Promise<AnalyzedFace[]> {
    const reply = await this.run('analyze', image, detector, options.crops ?? false);
    if (reply.kind !== 'analyzed') throw new Error(`unexpected worker reply ${reply.kind}`);
    return reply.faces;
  }

  /** Describes stored face crops again with this engine's embedder (their landmarks are known: nothing is detected). */
  async embedCrops(crops: readonly FaceCrop[]): Promise<Float32Array[]> {
    // The rasters are moved to the worker: copies, so that the caller's buffers stay usable.
    const copies = crops.map((crop) => ({ ...crop, rgb: new Uint8Array(crop.rgb) }));
    const reply = await this.submit({ id: this.nextId++, kind: 'embed', request: { crops: copies } });
    if (reply.kind !== 'embedded') throw new Error(`unexpected worker reply ${reply.kind}`);
    return reply.descriptors;
  }

  /** face-api's untouched detect+landmarks+descriptor chain on the same raster: the benchmark's baseline. */
  async analyzeBare(image: DecodedImage, detector: DetectorKind): Promise<number> {
    const reply = await this.run('bare', image, detector, false);
    if (reply.kind !== 'counted') throw new Error(`unexpected worker reply ${reply.kind}`);
    return reply.faces;
  }

  /**
   * One video frame: fast detection, and descriptors when asked (see analyzeVideoFrame). The raster's buffer is
   * moved to the worker (`frame.rgb` is empty afterwards) and comes back as `rgb`, for reuse.
   */
  async analyzeFrame(frame: FrameRequest): Promise<{ faces: FrameFace[]; rgb: Uint8Array }> {
    const reply = await this.submit({ id: this.nextId++, kind: 'frame', request: frame });
    if (reply.kind !== 'frame') throw new Error(`unexpected worker reply ${reply.kind}`);
    return { faces: reply.faces, rgb: reply.rgb };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('face engine closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private run(kind: 'analyze' | 'bare', image: DecodedImage, detector: DetectorKind, crops: boolean): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('face engine closed'));
    const request: AnalyzeRequest = {
      rgb: new Uint8Array(image.rgb),
      width: image.width,
      height: image.height,
      scale: image.scale,
      detector,
      crops,
    };
    return this.submit({ id: this.nextId++, kind, request });
  }

  private submit(task: WorkerTask): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('face engine closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      slot.busy = pending;
      slot.worker.postMessage(pending.task, transferables(pending.task));
    }
    if (!this.growthFailed && this.queue.length > this.starting && this.slots.length + this.starting < this.size) this.grow();
  }

  /** One more worker, because work is waiting; if it cannot start, the running ones carry on. */
  private grow(): void {
    this.starting += 1;
    spawn(this.options).then(({ slot }) => {
      this.starting -= 1;
      this.adopt(slot);
      this.dispatch();
    }, (error: unknown) => {
      this.starting -= 1;
      this.growthFailed = true;
      this.logger.warn({ reason: (error as Error).message, workers: this.slots.length }, 'an extra face worker could not start');
    });
  }

  /** A worker that finished starting joins the pool, unless the pool was closed meanwhile. */
  private adopt(slot: Slot): void {
    if (this.closed) {
      void slot.worker.terminate();
      return;
    }
    this.slots.push(slot);
    this.listen(slot);
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (reply: WorkerReply) => {
      const pending = slot.busy;
      slot.busy = null;
      if (pending) {
        if (reply.kind === 'failed') pending.reject(new Error(`face analysis failed: ${reply.message}`));
        else pending.resolve(reply);
      }
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, error));
  }

  private replace(slot: Slot, error: Error): void {
    slot.busy?.reject(new Error(`face worker crashed: ${error.message}`));
    slot.busy = null;
    if (this.closed) return;
    spawn(this.options).then(({ slot: fresh }) => {
      slot.worker = fresh.worker;
      this.listen(slot);
      this.dispatch();
    }, (spawnError: unknown) => {
      for (const pending of this.queue.splice(0)) pending.reject(spawnError instanceof Error ? spawnError : new Error(String(spawnError)));
    });
  }
}

function spawn(settings: WorkerSettings): Promise<{ slot: Slot; ready: WorkerReady }> {
  const worker = new Worker(settings.entry, { workerData: settings.data });
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      worker.off('error', onError);
      worker.off('message', onMessage);
      if (reply.kind === 'ready') resolve({ slot: { worker, busy: null }, ready: reply });
      else {
        void worker.terminate();
        reject(new Error(reply.kind === 'fatal' ? reply.message : `face worker sent ${reply.kind} before ready`));
      }
    };
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}
