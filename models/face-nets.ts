import { faceapi, FACE_API_MODEL_DIR } from './face-api.ts';

/** The networks the pipeline uses, loaded from the weights inside the npm package. */
export async function loadFaceNets(modelDir: string = FACE_API_MODEL_DIR): Promise<void> {
  const { nets } = faceapi;
  await Promise.all([
    nets.ssdMobilenetv1.isLoaded ? undefined : nets.ssdMobilenetv1.loadFromDisk(modelDir),
    nets.tinyFaceDetector.isLoaded ? undefined : nets.tinyFaceDetector.loadFromDisk(modelDir),
    nets.faceLandmark68Net.isLoaded ? undefined : nets.faceLandmark68Net.loadFromDisk(modelDir),
    nets.faceRecognitionNet.isLoaded ? undefined : nets.faceRecognitionNet.loadFromDisk(modelDir),
  ]);
}
