export { DEFAULT_REQUIRED_CONFIDENCE, decideFaces, loadGroupModel, scoreFace, type FaceDecision, type LoadedGroupModel } from './classify.ts';
export { crossValidate, type ConfusedPair, type MemberReport, type TrainingReport } from './cross-validate.ts';
export { fitGroupModel, type TrainingMember } from './fit.ts';
export type { Calibration, FaceScores, GroupModelPayload } from './model.ts';
