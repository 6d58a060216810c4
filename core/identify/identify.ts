import { DEFAULT_REQUIRED_CONFIDENCE, decideFaces, scoreFace } from '../classifier/index.ts';
import type { CoreContext } from '../context.ts';
import { decodeImage } from '../media/index.ts';
import { renderLabelledImage } from '../render/index.ts';
import { currentModel, type TrainedGroup } from '../training/train-group.ts';
import type { Box, DetectorKind } from '../types.ts';
import { describeFaces } from './summary.ts';

export interface IdentifyRequest {
  server: string;
  group: string;
  bytes: Uint8Array;
  source: string;
  /** Also draw the labelled picture. */
  render: boolean;
  /** The labelled picture's longer side at most (default: the renderer's cap). */
  maxSide?: number;
  detector?: DetectorKind;
  /** The group's model when the caller already has it (saves reading the group again). */
  trained?: TrainedGroup;
}

export interface IdentifiedFace {
  box: Box;
  /** The member's display name, or null for someone not enrolled (or not sure enough). */
  name: string | null;
  /** How sure the decision is: that it is `name`, or, for an unknown face, that it is nobody enrolled. */
  confidence: number;
  candidates: { name: string; score: number }[];
}

export interface IdentifyResult {
  source: string;
  width: number;
  height: number;
  faces: IdentifiedFace[];
  /** One line a screen reader or a chat message can carry: who is where. */
  summary: string;
  labelled?: { jpeg: Buffer; width: number; height: number };
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Every face in the picture, named jointly (each member at most once) or marked unknown. */
export async function identifyImage(context: CoreContext, request: IdentifyRequest): Promise<IdentifyResult> {
  const trained = request.trained ?? await currentModel(context, request.server, request.group);
  const image = await decodeImage(request.bytes, context.mediaLimits);
  const observations = await (await context.faces()).analyze(image, request.detector ?? 'accurate');
  const { model } = trained;
  const requiredConfidence = trained.group.settings.unknownThreshold ?? DEFAULT_REQUIRED_CONFIDENCE;
  const decisions = decideFaces(model, observations.map((face) => scoreFace(model, face.descriptor)), requiredConfidence);
  const names = model.payload.members.map((member) => member.name);
  const faces = observations.map((observation, index): IdentifiedFace => {
    const decision = decisions[index];
    return {
      box: roundBox(observation.box, image.originalWidth, image.originalHeight),
      name: decision?.member === null || decision === undefined ? null : names[decision.member] ?? null,
      confidence: round(decision?.confidence ?? 0),
      candidates: (decision?.candidates ?? []).map((candidate) => ({ name: names[candidate.member] ?? '?', score: round(candidate.score) })),
    };
  }).sort((a, b) => a.box.x - b.box.x);
  const result: IdentifyResult = { source: request.source, width: image.originalWidth, height: image.originalHeight, faces, summary: describeFaces(faces) };
  if (!request.render) return result;
  const labelled = await renderLabelledImage({
    source: request.bytes,
    faces: faces.map((face) => ({ box: face.box, label: face.name ?? 'unknown', known: face.name !== null })),
    ...(request.maxSide === undefined ? {} : { maxSide: request.maxSide }),
  });
  return { ...result, labelled: { jpeg: labelled.jpeg, width: labelled.width, height: labelled.height } };
}

function roundBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.round(box.x));
  const y = Math.max(0, Math.round(box.y));
  return { x, y, width: Math.min(width - x, Math.round(box.width)), height: Math.min(height - y, Math.round(box.height)) };
}
