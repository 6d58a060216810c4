import { JOB_NAMES, type JobName } from '../jobs.ts';
import { annotateProcessor } from './annotate.ts';
import { enrollProcessor, importProcessor } from './enroll.ts';
import { groupProcessor } from './group.ts';
import { identifyProcessor } from './identify.ts';
import { correctProcessor } from './correct.ts';
import { packProcessor } from './pack.ts';
import { searchProcessor } from './search.ts';
import type { Processor } from './processor.ts';
import { trainProcessor } from './train.ts';

export type ProcessorTable = { [N in JobName]: Processor<N> };

export const ALL_PROCESSORS: readonly Processor<JobName>[] = [
  groupProcessor, enrollProcessor, importProcessor, trainProcessor, identifyProcessor, annotateProcessor, searchProcessor, correctProcessor, packProcessor,
] as readonly Processor<JobName>[];

/** One processor per job name, or the worker refuses to start (checked at start-up, not at the first job). */
export function processorTable(processors: readonly Processor<JobName>[] = ALL_PROCESSORS): ProcessorTable {
  const byName = new Map<string, Processor<JobName>[]>();
  for (const processor of processors) byName.set(processor.name, [...(byName.get(processor.name) ?? []), processor]);
  const problems = [
    ...JOB_NAMES.filter((name) => (byName.get(name)?.length ?? 0) === 0).map((name) => `no processor for job "${name}"`),
    ...[...byName].filter(([, list]) => list.length > 1).map(([name, list]) => `${list.length} processors for job "${name}"`),
    ...[...byName.keys()].filter((name) => !(JOB_NAMES as readonly string[]).includes(name)).map((name) => `processor for unknown job "${name}"`),
  ];
  if (problems.length > 0) throw new Error(`Refusing to start the workers: ${problems.join('; ')}.`);
  return Object.fromEntries([...byName].map(([name, list]) => [name, list[0]])) as ProcessorTable;
}
