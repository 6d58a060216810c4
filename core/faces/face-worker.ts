import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../models/backend.ts';
import { loadAccurateDetector, loadFaceNets } from '../../models/face-nets.ts';
import { analyzeFaces, analyzeFacesBare } from './analyze.ts';
import { analyzeVideoFrame } from './analyze-frame.ts';
import type { FaceWorkerData, WorkerReply, WorkerTask } from './worker-protocol.ts';

/** One inference thread: its own TF backend and its own copy of the face networks. */
const port = parentPort;
if (!port) throw new Error('face-worker must run in a worker thread');

function reply(message: WorkerReply): void {
  // A video frame's raster goes back to the caller, who reuses its buffer for a later frame.
  port?.postMessage(message, message.kind === 'frame' ? [message.rgb.buffer as ArrayBuffer] : []);
}

async function answer(task: WorkerTask): Promise<WorkerReply> {
  if (task.kind === 'frame') return { kind: 'frame', id: task.id, faces: await analyzeVideoFrame(task.request), rgb: task.request.rgb };
  if (task.request.detector === 'accurate') await loadAccurateDetector();
  if (task.kind === 'bare') return { kind: 'counted', id: task.id, faces: await analyzeFacesBare(task.request) };
  return { kind: 'analyzed', id: task.id, faces: await analyzeFaces(task.request) };
}

async function handle(task: WorkerTask): Promise<void> {
  try {
    reply(await answer(task));
  } catch (error) {
    reply({ kind: 'failed', id: task.id, message: (error as Error).message });
  }
}

try {
  const { backend } = workerData as FaceWorkerData;
  const choice = await selectBackend(backend);
  await loadFaceNets();
  let chain = Promise.resolve();
  port.on('message', (task: WorkerTask) => {
    chain = chain.then(() => handle(task));
  });
  reply({ kind: 'ready', backend: choice.name, notes: choice.notes });
} catch (error) {
  reply({ kind: 'fatal', message: (error as Error).message });
}
