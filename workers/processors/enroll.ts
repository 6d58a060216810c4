import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { enrollPhotos, type EnrollSummary } from '../../core/dataset/enroll.ts';
import { memberSheet } from '../../core/dataset/overview.ts';
import { nameKey, type GroupRecord } from '../../core/store/index.ts';
import { answerFile } from './answer-file.ts';
import type { IntakeLayout } from '../../core/intake/index.ts';
import type { JobInput, JobRequest } from '../jobs.ts';
import type { AnswerFile, EnrollResult, JobAnswer } from '../results.ts';
import { intakeEntries } from './media-inputs.ts';
import type { Processor, ProcessorContext } from './processor.ts';

export function enrollResult(summary: EnrollSummary): EnrollResult {
  return { group: summary.group.name, outcomes: summary.outcomes, counts: summary.counts };
}

export function enrollText(result: EnrollResult): string {
  const { accepted, rejected, duplicate, flagged } = result.counts;
  const lines = [`${result.group}: ${accepted} accepted, ${rejected} rejected, ${duplicate} duplicate, ${flagged} flagged for review.`];
  const perMember = acceptedPerMember(result);
  if (perMember.size > 1) lines.push(`Accepted per member: ${[...perMember].map(([member, count]) => `${member} ${count}`).join(', ')}.`);
  for (const outcome of result.outcomes) {
    if (outcome.status !== 'accepted') lines.push(`${outcome.source}: ${outcome.reason?.message ?? outcome.status}`);
    else if (outcome.flagged) lines.push(`${outcome.source}: accepted, to review (${outcome.flagReason ?? 'unlike the others'})`);
  }
  return lines.join('\n');
}

/** How many photos each member gained (an import names several members). */
function acceptedPerMember(result: EnrollResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of result.outcomes) {
    if (outcome.status === 'accepted' && outcome.member !== null) counts.set(outcome.member, (counts.get(outcome.member) ?? 0) + 1);
  }
  return counts;
}

interface EnrollWork {
  request: JobRequest;
  group: string;
  member?: string;
  inputs: JobInput[];
  layout: IntakeLayout;
  contactSheet?: boolean;
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
  const files = work.contactSheet === true && work.member !== undefined ? await contactSheetFile(context, work.request.server, summary.group, work.member) : [];
  return { job, text: enrollText(data), data, files, someInputBad: summary.counts.rejected > 0 };
}

/** The member's sheet after the enroll; none when the member still has no photos. */
async function contactSheetFile(context: ProcessorContext, server: string, group: GroupRecord, member: string): Promise<AnswerFile[]> {
  if (!group.members.some((entry) => entry.key === nameKey(member) && entry.sampleIds.length > 0)) return [];
  const sheet = await memberSheet(context.core, server, group.name, member);
  const file = path.join(context.workDir, 'contact-sheet.jpg');
  await writeFile(file, sheet.jpeg);
  return [await answerFile(file, 'contact-sheet', 'image/jpeg')];
}

export const enrollProcessor = {
  name: 'enroll',
  run: (payload, context) => enroll('enroll', { ...payload, layout: 'flat' }, context),
} satisfies Processor<'enroll'>;

export const importProcessor = {
  name: 'import',
  run: (payload, context) => enroll('import', { ...payload, layout: 'member-folders' }, context),
} satisfies Processor<'import'>;
