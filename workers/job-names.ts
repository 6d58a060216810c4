/** The kinds of job, apart from their payloads: the answer types name them without importing what a job carries. */
export const JOB_NAMES = ['group', 'enroll', 'import', 'train', 'identify', 'annotate', 'search', 'correct', 'pack'] as const;
export type JobName = (typeof JOB_NAMES)[number];
