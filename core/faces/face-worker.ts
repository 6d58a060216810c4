import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../models/backend.ts';
import { loadAccurateDetector, loadFaceNets } from '../../models/face-nets.ts';
import { analyzeFaces, analyzeFacesBare } from './analyze.ts';
import { selectOnnxRuntime } from '../../models/onnx-runtime.ts';
import { analyzeVideoFrame } from './analyze-frame.ts';
import { loadClipDetector, type ClipDetector } from './clip-detector.ts';
import type { FaceEmbedder } from './embedder.ts';
import { loadEmbedder } from './load-embedder.ts';
import { warpChip } from './warp.ts';
import type { FaceWorkerData, WorkerReply, WorkerTask } from './worker-protocol.ts';

/** One inference thread: its own TF backend, its own copy of the face networks and of the embedder. */
const port = parentPort;
if (!port) throw new Error('face-worker must run in a worker thread');

function reply(message: WorkerReply): void {
  // A video frame's raster goes back to the caller, who reuses its buffer for a later frame.
  port?.postMessage(message, message.kind === 'frame' ? [message.rgb.buffer as ArrayBuffer] : []);
}

interface Nets {
  embedder: FaceEmbedder;
  /** Loaded on the worker's first video frame, so that photo workers start as before. */
  clipDetector(): Promise<ClipDetector>;
}

async function answer(task: WorkerTask, nets: Nets): Promise<WorkerReply> {
  const { embedder } = nets;
  if (task.kind === 'frame') return { kind: 'frame', id: task.id, faces: await analyzeVideoFrame(task.request, embedder, await nets.clipDetector()), rgb: task.request.rgb };
  if (task.kind === 'embed') {
    const chips = task.request.crops.map((crop) => warpChip(crop.rgb, crop.size, crop.size, embedder.frame(crop.landmarks), embedder.chipSize));
    const descriptors = await embedder.describe(chips);
    if (descriptors.length !== chips.length) throw new Error('the embedder returned fewer descriptors than crops');
    return { kind: 'embedded', id: task.id, descriptors };
  }
  if (task.request.detector === 'accurate') await loadAccurateDetector();
  if (task.kind === 'bare') return { kind: 'counted', id: task.id, faces: await analyzeFacesBare(task.request, embedder) };
  return { kind: 'analyzed', id: task.id, faces: await analyzeFaces(task.request, embedder) };
}

async function handle(task: WorkerTask, nets: Nets): Promise<void> {
  try {
    reply(await answer(task, nets));
  } catch (error) {
    reply({ kind: 'failed', id: task.id, message: (error as Error).message });
  }
}

try {
  const settings = workerData as FaceWorkerData;
  const choice = await selectBackend(settings.backend);
  const [loaded] = await Promise.all([loadEmbedder(settings.embedder), loadFaceNets({ dlibDescriptor: settings.embedder.name === 'dlib' })]);
  let clipDetector: Promise<ClipDetector> | undefined;
  const nets: Nets = { embedder: loaded.embedder, clipDetector: () => (clipDetector ??= loadClipDetector(selectOnnxRuntime(settings.embedder.onnxRuntime))) };
  let chain = Promise.resolve();
  port.on('message', (task: WorkerTask) => {
    chain = chain.then(() => handle(task, nets));
  });
  reply({ kind: 'ready', backend: choice.name, embedderRuntime: loaded.runtime, notes: [...choice.notes, ...loaded.notes] });
} catch (error) {
  reply({ kind: 'fatal', message: (error as Error).message });
}
