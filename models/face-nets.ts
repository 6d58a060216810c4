import { faceapi, FACE_API_MODEL_DIR } from './face-api.ts';

/**
 * The networks every task uses (fast detector, landmarks; dlib's descriptor when it is the embedder), from the
 * weights inside the npm package.
 */
export async function loadFaceNets(options: { dlibDescriptor: boolean }, modelDir: string = FACE_API_MODEL_DIR): Promise<void> {
  const { nets } = faceapi;
  await Promise.all([
    nets.tinyFaceDetector.isLoaded ? undefined : nets.tinyFaceDetector.loadFromDisk(modelDir),
    nets.faceLandmark68Net.isLoaded ? undefined : nets.faceLandmark68Net.loadFromDisk(modelDir),
    !options.dlibDescriptor || nets.faceRecognitionNet.isLoaded ? undefined : nets.faceRecognitionNet.loadFromDisk(modelDir),
  ]);
}

/** The accurate detector, for photos only: loaded on a worker's first photo, so that clip workers start sooner. */
export async function loadAccurateDetector(modelDir: string = FACE_API_MODEL_DIR): Promise<void> {
  if (!faceapi.nets.ssdMobilenetv1.isLoaded) await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
}
