import type { JobQueue } from './queue/queue.ts';
import { jobIdFor } from './queue/queue.ts';
import type { JobName, JobPayload } from './jobs.ts';
import type { ServerGate } from './limits/limits.ts';

/**
 * Where bots and the CLI hand in work: the server's caps are checked first (a clear `busy` instead of an
 * unbounded queue), then the job is queued. Returns the job's id.
 */
export class JobProducer {
  constructor(private readonly queue: JobQueue, private readonly gate: ServerGate) {}

  async submit<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string> {
    const jobId = jobIdFor(name, payload.request.id);
    await this.gate.admit(payload.request.server, name, jobId);
    try {
      return await this.queue.enqueue(name, payload);
    } catch (error) {
      await this.gate.release(payload.request.server, name, jobId);
      throw error;
    }
  }
}
