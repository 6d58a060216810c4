/**
 * Per-server fairness: how many jobs a server may have waiting or running, how many of them clips, and how many
 * clip minutes it may use per day (UTC). Kept in Redis when the queue is, so every producer sees the same counts.
 */
import type { ServerLimits } from '../../core/config.ts';
import { IdolensError } from '../../core/errors.ts';
import { plural } from '../../core/format.ts';
import type { JobName } from '../jobs.ts';

export interface ClipQuota {
  /** Counts a clip against the server's day; refuses it (quota_exceeded) when it does not fit. */
  consume(server: string, seconds: number): Promise<void>;
}

export interface LiveJobs {
  total: number;
  annotate: number;
}

export interface ServerGate extends ClipQuota {
  /** Registers a job for the server, or refuses it with `busy` and how long to wait. */
  admit(server: string, job: JobName, jobId: string): Promise<void>;
  /** The job is over (done or finally failed): it no longer counts. */
  release(server: string, job: JobName, jobId: string): Promise<void>;
  /** A finished job's duration, for the wait estimates. */
  recordDuration(job: JobName, seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** A job counts as live at most this long, so that a job lost with a crashed Redis does not block a server forever. */
export const LIVE_JOB_MAX_AGE_MS = 3 * 60 * 60 * 1000;

/** Typical seconds per job before any was measured. */
export const TYPICAL_SECONDS: Readonly<Record<JobName, number>> = { group: 1, enroll: 20, import: 60, train: 5, identify: 3, annotate: 90, search: 60, correct: 5, pack: 30 };

export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function minutesUntilUtcMidnight(now: Date = new Date()): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 60_000));
}

export function waitMinutes(live: LiveJobs, secondsPerJob: number, secondsPerClip: number): number {
  const seconds = (live.total - live.annotate) * secondsPerJob + live.annotate * secondsPerClip;
  return Math.max(1, Math.ceil(seconds / 60));
}

export function busyError(live: LiveJobs, limits: ServerLimits, minutes: number, job: JobName): IdolensError {
  const what = job === 'annotate' && live.annotate >= limits.maxAnnotateJobs
    ? `This server already has ${plural(live.annotate, 'clip')} being labelled (at most ${limits.maxAnnotateJobs} at once)`
    : `This server already has ${plural(live.total, 'request')} waiting (at most ${limits.maxQueuedJobs})`;
  return new IdolensError('busy', `${what}; try again in ${plural(minutes, 'minute')}.`, { minutes, ...live });
}

export function isOverLimit(live: LiveJobs, limits: ServerLimits, job: JobName): boolean {
  return live.total >= limits.maxQueuedJobs || (job === 'annotate' && live.annotate >= limits.maxAnnotateJobs);
}

export function quotaError(usedSeconds: number, clipSeconds: number, limits: ServerLimits, now: Date = new Date()): IdolensError {
  const minutes = (seconds: number): string => `${Math.round(seconds / 6) / 10}`;
  const wait = minutesUntilUtcMidnight(now);
  const waitText = wait >= 120 ? `${Math.round(wait / 60)} hours` : `${wait} minutes`;
  return new IdolensError(
    'quota_exceeded',
    `This server has used ${minutes(usedSeconds)} of its ${minutes(limits.clipSecondsPerDay)} clip minutes today and this clip needs ${minutes(clipSeconds)}; try again in ${waitText} (the count restarts at midnight UTC).`,
    { usedSeconds: Math.round(usedSeconds), clipSeconds: Math.round(clipSeconds), limitSeconds: limits.clipSecondsPerDay },
  );
}

/** Exponentially weighted: recent jobs count most. */
export function nextAverage(previous: number | undefined, seconds: number): number {
  return previous === undefined ? seconds : previous * 0.8 + seconds * 0.2;
}
