import type { JobRequest } from '../workers/jobs.ts';
import type { JobProducer } from '../workers/producer.ts';
import type { JobSubmission } from './command.ts';

/** Queues a command's job for a request (one case per job name keeps payload and name paired for the compiler). */
export function submitJob(producer: JobProducer, job: JobSubmission, request: JobRequest): Promise<string> {
  switch (job.name) {
    case 'group': return producer.submit('group', { ...job.payload, request });
    case 'enroll': return producer.submit('enroll', { ...job.payload, request });
    case 'import': return producer.submit('import', { ...job.payload, request });
    case 'train': return producer.submit('train', { ...job.payload, request });
    case 'identify': return producer.submit('identify', { ...job.payload, request });
    case 'annotate': return producer.submit('annotate', { ...job.payload, request });
    case 'search': return producer.submit('search', { ...job.payload, request });
    case 'correct': return producer.submit('correct', { ...job.payload, request });
    case 'pack': return producer.submit('pack', { ...job.payload, request });
  }
}
