import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../models/backend.ts';
import { loadFaceNets } from '../../models/face-nets.ts';
import { analyzeFaces, analyzeFacesBare } from './analyze.ts';
import { analyzeVideoFrame } from './analyze-frame.ts';
import type { FaceWorkerData, WorkerReply, WorkerTask } from './worker-protocol.ts';

/** One inference thread: its own TF backend and its own copy of the face networks. */
const port = parentPort;
if (!port) throw new Error('face-worker must run in a worker thread');

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

async function handle(task: WorkerTask): Promise<void> {
  try {
    if (task.kind === 'frame') {
      reply({ kind: 'frame', id: task.id, faces: await analyzeVideoFrame(task.request) });
    } else if (task.kind === 'bare') {
      reply({ kind: 'counted', id: task.id, faces: await analyzeFacesBare(task.request) });
    } else {
      reply({ kind: 'analyzed', id: task.id, faces: await analyzeFaces(task.request) });
    }
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
