/**
 * The shape of every job's data, checked when a worker reads it back from Redis: data that came through another
 * process is not trusted as typed (an older producer, a hand-edited key). A job that fails the check fails for good.
 */
import { z } from 'zod';
import { mediaRefSchema } from '../core/media-ref/index.ts';
import { SEARCH_PROVIDERS } from '../core/search/types.ts';
import { MAX_PAD_SECONDS } from '../services/cut-service.ts';
import { isErrorCode, type ErrorCode } from '../core/errors.ts';
import type { DeliveryTarget } from './delivery/delivery.ts';
import type { JobName } from './job-names.ts';
import type { JobInput, JobPayload, JobRequest } from './jobs.ts';

const name = z.string().min(1).max(200);
const count = z.number().int().nonnegative();

const targetSchema: z.ZodType<DeliveryTarget> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('outbox') }),
  z.strictObject({ kind: z.literal('caller') }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('discord'), applicationId: name, interactionToken: z.string().min(1).max(1000), channelId: z.string().max(40), userId: name,
    createdAt: count, privateAnswer: z.boolean(), uploadLimitBytes: count,
  }),
  z.strictObject({
    kind: z.literal('telegram'), chatId: z.number().int(), replyTo: z.number().int(), threadId: z.number().int().exactOptional(),
    statusMessageId: z.number().int(), uploadLimitBytes: count, cancelButton: z.string().max(64).exactOptional(),
  }),
]);

export const JOB_REQUEST_SCHEMA: z.ZodType<JobRequest> = z.strictObject({ id: z.string().min(1).max(300), server: z.string().max(200), by: z.string().max(200), target: targetSchema });

const errorCode = z.string().refine(isErrorCode, 'an error code').transform((code) => code as ErrorCode);

const inputSchema: z.ZodType<JobInput> = z.union([
  z.strictObject({ ref: mediaRefSchema, member: name.exactOptional() }),
  z.strictObject({ source: z.string().max(300), member: name.exactOptional(), error: z.strictObject({ code: errorCode, message: z.string().max(2000) }) }),
]);
const inputs = z.array(inputSchema).max(1000);

const withRequest = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject({ ...shape, request: JOB_REQUEST_SCHEMA });

export const JOB_PAYLOAD_SCHEMAS: { [N in JobName]: z.ZodType<JobPayload<N>> } = {
  group: z.discriminatedUnion('action', [
    withRequest({ action: z.literal('create'), group: name }),
    withRequest({ action: z.literal('list') }),
    withRequest({ action: z.literal('rename'), group: name, newName: name }),
    withRequest({ action: z.literal('delete'), group: name }),
  ]),
  enroll: withRequest({ group: name, member: name, inputs, contactSheet: z.boolean().exactOptional(), newMember: z.boolean().exactOptional() }),
  import: withRequest({ group: name, inputs }),
  train: withRequest({ group: name, force: z.boolean() }),
  identify: withRequest({ group: name, inputs, detector: z.enum(['accurate', 'fast']), render: z.boolean(), maxSide: count.exactOptional() }),
  annotate: withRequest({
    group: name, clip: mediaRefSchema, maxBytes: count.exactOptional(), maxShortSide: count.exactOptional(), srt: z.boolean(), chart: z.boolean(),
    cut: z.strictObject({ member: name, padSeconds: z.number().min(0).max(MAX_PAD_SECONDS) }).exactOptional(),
  }),
  pack: withRequest({ file: mediaRefSchema, as: name.exactOptional() }),
  correct: withRequest({ answerId: z.string().regex(/^[0-9a-f]{8}$/), face: z.number().int().min(1).max(1000), member: name.nullable(), fanName: z.string().max(200) }),
  search: withRequest({ group: name, member: name, query: z.string().min(1).max(500), count: count, provider: z.enum(SEARCH_PROVIDERS).exactOptional() }),
};

/** The job's data as its type says, or a sentence naming the first field that is not (for the log). */
export function checkJobData<N extends JobName>(jobName: N, data: unknown): { ok: true; payload: JobPayload<N> } | { ok: false; problem: string } {
  const parsed = JOB_PAYLOAD_SCHEMAS[jobName].safeParse(data);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || '(data)'}: ${issue?.message ?? 'not a job'}` };
}
