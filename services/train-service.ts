/** Training a group's model, when asked or when its photos changed since the last training. */
import type { TrainingReport } from '../core/classifier/index.ts';
import type { CoreContext } from '../core/context.ts';
import type { MemberNeedingPhotos } from '../core/training/reembed.ts';
import { currentModel, trainGroup } from '../core/training/train-group.ts';

export interface TrainRequest {
  server: string;
  group: string;
  /** Train even when the stored model is current (an admin asked); otherwise only when it is stale. */
  force: boolean;
}

export interface TrainResult {
  group: string;
  /** False when the stored model was already current and training was not forced. */
  retrained: boolean;
  report: TrainingReport;
  /** Members whose photos from an earlier face model kept no crop: left out of training until enrolled again. */
  needPhotosAgain: MemberNeedingPhotos[];
}

export async function trainGroupModel(core: CoreContext, request: TrainRequest): Promise<TrainResult> {
  const { server, group } = request;
  const trained = request.force ? await trainGroup(core, server, group) : await currentModel(core, server, group);
  return { group: trained.group.name, retrained: trained.retrained, report: trained.report, needPhotosAgain: trained.needPhotosAgain };
}
