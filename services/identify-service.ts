/** Naming every face in pictures against a group's trained model, each picture on its own. */
import { mapConcurrent } from '../core/concurrency.ts';
import type { CoreContext } from '../core/context.ts';
import { isWorthRetrying, toNotice, type ErrorCode } from '../core/errors.ts';
import { identifyImage, type IdentifiedFace } from '../core/identify/identify.ts';
import { isInputError, type InputItem, type IntakeEntry } from '../core/intake/index.ts';
import { currentModel, type TrainedGroup } from '../core/training/train-group.ts';
import type { DetectorKind } from '../core/types.ts';

export interface InputFailure {
  source: string;
  error: { code: ErrorCode; message: string };
}

export interface IdentifiedPicture {
  source: string;
  width: number;
  height: number;
  faces: IdentifiedFace[];
  summary: string;
  /** The labelled picture's file among a job answer's files. */
  file?: string;
}

export interface IdentifyResultData {
  group: string;
  pictures: (IdentifiedPicture | InputFailure)[];
}

export function isInputFailure(picture: IdentifiedPicture | InputFailure): picture is InputFailure {
  return 'error' in picture;
}

export interface IdentifyRequest {
  server: string;
  group: string;
  /** Read one at a time, when their turn comes; inputs already refused are reported in their place. */
  pictures: readonly IntakeEntry[];
  detector: DetectorKind;
  /** Also draw each labelled picture. */
  render: boolean;
  /** The labelled picture's longer side at most. */
  maxSide?: number;
  /**
   * A failure that another try could get past (a download, our side): `throw` when the caller runs the whole
   * request again (a queued job), `report` it with its picture when nobody will (the CLI).
   */
  retryableFailures: 'throw' | 'report';
  /** Each picture's outcome as soon as it is ready, in input order (a caller that shows results as they come). */
  onOutcome?: (outcome: PictureOutcome, index: number) => Promise<void>;
}

/** In the order of `pictures`; `labelled` is the JPEG when asked for. */
export type PictureOutcome = { picture: IdentifiedPicture; labelled?: Buffer } | { picture: InputFailure };

export async function identifyPictures(core: CoreContext, request: IdentifyRequest): Promise<PictureOutcome[]> {
  // Refuses an unknown or untrained group once, before any picture is read.
  const trained = await currentModel(core, request.server, request.group);
  const engine = await core.faces();
  const inOrder = request.onOutcome === undefined ? undefined : inputOrder(request.onOutcome);
  const indexed = request.pictures.map((entry, index) => ({ entry, index }));
  return mapConcurrent(indexed, engine.size, async ({ entry, index }): Promise<PictureOutcome> => {
    const outcome: PictureOutcome = isInputError(entry) ? { picture: { source: entry.source, error: toNotice(entry.error) } } : await identifyOne(core, request, trained, entry);
    await inOrder?.(outcome, index);
    return outcome;
  });
}

/** Hands outcomes that finish out of order (pictures run side by side) on in input order, each as soon as it can be. */
function inputOrder(emit: (outcome: PictureOutcome, index: number) => Promise<void>): (outcome: PictureOutcome, index: number) => Promise<void> {
  const ready = new Map<number, PictureOutcome>();
  let next = 0;
  let chain = Promise.resolve();
  return (outcome, index) => {
    ready.set(index, outcome);
    chain = chain.then(async () => {
      for (let due = ready.get(next); due !== undefined; due = ready.get(next)) {
        ready.delete(next);
        await emit(due, next);
        next += 1;
      }
    });
    return chain;
  };
}

async function identifyOne(core: CoreContext, request: IdentifyRequest, trained: TrainedGroup, item: InputItem): Promise<PictureOutcome> {
  const { source } = item;
  try {
    const bytes = await item.read();
    const result = await identifyImage(core, {
      server: request.server, group: request.group, bytes, source, render: request.render, detector: request.detector, trained,
      ...(request.maxSide === undefined ? {} : { maxSide: request.maxSide }),
    });
    const picture: IdentifiedPicture = { source, width: result.width, height: result.height, faces: result.faces, summary: result.summary };
    return result.labelled ? { picture, labelled: result.labelled.jpeg } : { picture };
  } catch (error) {
    if (request.retryableFailures === 'throw' && isWorthRetrying(error)) throw error;
    return { picture: { source, error: toNotice(error) } };
  }
}
