import { enrollPhotos, type EnrollSummary } from '../../core/dataset/enroll.ts';
import type { IntakeLayout } from '../../core/intake/index.ts';
import type { JobInput, JobRequest } from '../jobs.ts';
import type { EnrollResult, JobAnswer } from '../results.ts';
import { intakeEntries } from './media-inputs.ts';
import type { Processor, ProcessorContext } from './processor.ts';

export function enrollResult(summary: EnrollSummary): EnrollResult {
  return { group: summary.group.name, outcomes: summary.outcomes, counts: summary.counts };
}

export function enrollText(result: EnrollResult): string {
  const { accepted, rejected, duplicate, flagged } = result.counts;
  const lines = [`${result.group}: ${accepted} accepted, ${rejected} rejected, ${duplicate} duplicate, ${flagged} flagged for review.`];
  for (const outcome of result.outcomes) {
    if (outcome.status !== 'accepted') lines.push(`${outcome.source}: ${outcome.reason?.message ?? outcome.status}`);
    else if (outcome.flagged) lines.push(`${outcome.source}: accepted, to review (${outcome.flagReason ?? 'unlike the others'})`);
  }
  return lines.join('\n');
}

interface EnrollWork {
  request: JobRequest;
  group: string;
  member?: string;
  inputs: JobInput[];
  layout: IntakeLayout;
}

async function enroll<N extends 'enroll' | 'import'>(job: N, work: EnrollWork, context: ProcessorContext): Promise<JobAnswer<N>> {
  const entries = await intakeEntries(context, work.inputs, work.layout);
  const summary = await enrollPhotos(context.core, {
    server: work.request.server,
    group: work.group,
    ...(work.member === undefined ? {} : { member: work.member }),
    inputs: [],
    entries,
    layout: work.layout,
    addedBy: work.request.by,
  });
  if (summary.counts.accepted > 0) await context.scheduleTraining(work.request.server, summary.group.name);
  const data = enrollResult(summary);
  return { job, text: enrollText(data), data, files: [], someInputBad: summary.counts.rejected > 0 };
}

export const enrollProcessor = {
  name: 'enroll',
  run: (payload, context) => enroll('enroll', { ...payload, layout: 'flat' }, context),
} satisfies Processor<'enroll'>;

export const importProcessor = {
  name: 'import',
  run: (payload, context) => enroll('import', { ...payload, layout: 'member-folders' }, context),
} satisfies Processor<'import'>;
