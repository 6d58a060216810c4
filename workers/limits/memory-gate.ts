import type { ServerLimits } from '../../core/config.ts';
import type { JobName } from '../jobs.ts';
import {
  busyError, isOverLimit, LIVE_JOB_MAX_AGE_MS, nextAverage, quotaError, TYPICAL_SECONDS, utcDay, waitMinutes, type LiveJobs, type ServerGate,
} from './limits.ts';

/** The per-server caps for one process (the in-process queue). */
export class MemoryServerGate implements ServerGate {
  private readonly live = new Map<string, Map<string, { job: JobName; expires: number }>>();
  private readonly clipSeconds = new Map<string, number>();
  private readonly averages = new Map<JobName, number>();

  constructor(private readonly limits: ServerLimits) {}

  async admit(server: string, job: JobName, jobId: string): Promise<void> {
    const jobs = this.liveJobs(server);
    if (jobs.has(jobId)) return;
    const counts: LiveJobs = { total: jobs.size, annotate: [...jobs.values()].filter((entry) => entry.job === 'annotate').length };
    if (isOverLimit(counts, this.limits, job)) {
      const minutes = waitMinutes(counts, this.average('identify'), this.average('annotate'));
      throw busyError(counts, this.limits, minutes, job);
    }
    jobs.set(jobId, { job, expires: Date.now() + LIVE_JOB_MAX_AGE_MS });
  }

  async release(server: string, _job: JobName, jobId: string): Promise<void> {
    this.live.get(server)?.delete(jobId);
  }

  async recordDuration(job: JobName, seconds: number): Promise<void> {
    this.averages.set(job, nextAverage(this.averages.get(job), seconds));
  }

  async consume(server: string, seconds: number): Promise<void> {
    const key = `${server}\u0000${utcDay()}`;
    const used = this.clipSeconds.get(key) ?? 0;
    if (used + seconds > this.limits.clipSecondsPerDay) throw quotaError(used, seconds, this.limits);
    this.clipSeconds.set(key, used + seconds);
  }

  async close(): Promise<void> {}

  private average(job: JobName): number {
    return this.averages.get(job) ?? TYPICAL_SECONDS[job];
  }

  private liveJobs(server: string): Map<string, { job: JobName; expires: number }> {
    const jobs = this.live.get(server) ?? new Map<string, { job: JobName; expires: number }>();
    this.live.set(server, jobs);
    const now = Date.now();
    for (const [id, entry] of jobs) if (entry.expires < now) jobs.delete(id);
    return jobs;
  }
}
