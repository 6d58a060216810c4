/**
 * Every piece of heavy work is one of these jobs. A job names its request (so a result is delivered once,
 * however often the job runs) and carries references to its media, never the bytes.
 */
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../core/errors.ts';
import type { MediaRef } from '../core/media-ref/index.ts';
import type { SearchProviderId } from '../core/search/types.ts';
import type { DetectorKind } from '../core/types.ts';
import type { GroupAction } from '../services/group-service.ts';
import type { DeliveryTarget } from './delivery/delivery.ts';
import type { JobName } from './job-names.ts';

export { JOB_NAMES, type JobName } from './job-names.ts';
export type { GroupAction } from '../services/group-service.ts';

/**
 * Who asked, and where the answer goes. `id` names the request uniquely across platforms and chats (e.g.
 * `discord:<interaction id>`, `telegram:<chat id>:<message id>`, a CLI run's uuid): it is the job's id and the
 * delivery ledger's key.
 */
export interface JobRequest {
  id: string;
  server: string;
  /** The user (platform id, or `cli`): kept with enrolled photos. */
  by: string;
  target: DeliveryTarget;
}

/** An input the producer already refused (a missing file, a URL it may not fetch): reported in order with the rest. */
export interface RefusedInput {
  source: string;
  member?: string;
  error: { code: ErrorCode; message: string };
}

export interface MediaInput {
  ref: MediaRef;
  /** The member folder a photo came from (import). */
  member?: string;
}

export type JobInput = MediaInput | RefusedInput;

export interface MemberCutOptions {
  member: string;
  /** Seconds kept before and after each of her stretches. */
  padSeconds: number;
}

export interface JobPayloads {
  group: GroupAction;
  /** `contactSheet`: the answer carries the member's numbered contact sheet after the enroll (bots show it). */
  enroll: { group: string; member: string; inputs: JobInput[]; contactSheet?: boolean; newMember?: boolean };
  /** Zip archives (one folder per member) or photos with their member. */
  import: { group: string; inputs: JobInput[] };
  /** `force`: train even when the stored model is current (the admin asked); otherwise only when stale. */
  train: { group: string; force: boolean };
  /** `maxSide`: the labelled picture's longer side at most (the server's output size). */
  identify: { group: string; inputs: JobInput[]; detector: DetectorKind; render: boolean; maxSide?: number };
  /**
   * `maxShortSide`: the labelled clip's shorter side at most (the server's output size). `cut`: only the stretches
   * where that member is on screen, joined (a member's own cut).
   */
  annotate: { group: string; clip: MediaRef; maxBytes?: number; maxShortSide?: number; srt: boolean; chart: boolean; cut?: MemberCutOptions };
  /** Photos of a member from an image search, kept pending for an admin's review. */
  search: { group: string; member: string; query: string; count: number; provider?: SearchProviderId };
  /** A fan says who face `face` (from 1) of a bot's answer is; `member` null: someone not in the group. */
  correct: { answerId: string; face: number; member: string | null; fanName: string };
  /** A group pack (a zip from `pack export`) to create a group from; `as`: the new group's name instead of the pack's. */
  pack: { file: MediaRef; as?: string };
}

export type JobPayload<N extends JobName> = JobPayloads[N] & { request: JobRequest };

export type AnyJob = { [N in JobName]: { name: N; payload: JobPayload<N> } }[JobName];

export function isRefusedInput(input: JobInput): input is RefusedInput {
  return 'error' in input;
}

const SAFE_NAME = /^[A-Za-z0-9_-]+$/;
const DIGEST_CHARS = 16;

/**
 * A request id as a name for job ids and folders: letters, digits, `-` and `_` only, at most `maxLength`. An id
 * that is already such a name is kept; any other is cleaned and gets a digest of the original, so that two
 * requests never share a name (`a:b` and `a_b` would, cleaned alone).
 */
export function requestIdAsName(id: string, maxLength: number): string {
  if (SAFE_NAME.test(id) && id.length <= maxLength) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, DIGEST_CHARS);
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, maxLength - DIGEST_CHARS - 1);
  return `${cleaned || 'request'}-${digest}`;
}
