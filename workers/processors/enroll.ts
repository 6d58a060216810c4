import { enrollText } from '../../answers/enroll.ts';
import type { IntakeLayout } from '../../core/intake/index.ts';
import { enrollMemberPhotos } from '../../services/enroll-service.ts';
import type { JobInput, JobRequest } from '../jobs.ts';
import type { JobAnswer } from '../results.ts';
import { writeAnswerFile } from './answer-file.ts';
import { intakeEntries } from './media-inputs.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor, ProcessorContext } from './processor.ts';

interface EnrollWork {
  request: JobRequest;
  group: string;
  member?: string;
  inputs: JobInput[];
  layout: IntakeLayout;
  contactSheet?: boolean;
  newMember?: boolean;
}

async function enroll<N extends 'enroll' | 'import'>(job: N, work: EnrollWork, context: ProcessorContext): Promise<JobAnswer<N>> {
  const { request } = work;
  const phrasing = phrasingFor(request.target);
  const { result, contactSheet } = await enrollMemberPhotos(context.core, {
    ...(work.newMember === true ? {} : { newMemberHint: (member: string) => phrasing.newMember(work.group, member) }),
    server: request.server,
    group: work.group,
    ...(work.member === undefined ? {} : { member: work.member }),
    photos: { entries: await intakeEntries(context, work.inputs, work.layout) },
    layout: work.layout,
    addedBy: request.by,
    ...(work.contactSheet === undefined ? {} : { contactSheet: work.contactSheet }),
  });
  if (result.counts.accepted > 0) await context.scheduleTraining(request.server, result.group);
  const files = contactSheet === undefined ? [] : [await writeAnswerFile(context.workDir, 'contact-sheet.jpg', contactSheet, 'contact-sheet', 'image/jpeg')];
  return { job, text: enrollText(result, phrasing), data: result, files, someInputBad: result.counts.rejected > 0 };
}

export const enrollProcessor = {
  name: 'enroll',
  run: (payload, context) => enroll('enroll', { ...payload, layout: 'flat' }, context),
} satisfies Processor<'enroll'>;

export const importProcessor = {
  name: 'import',
  run: (payload, context) => enroll('import', { ...payload, layout: 'member-folders' }, context),
} satisfies Processor<'import'>;
