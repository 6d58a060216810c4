/**
 * A command run for a person, the same on every platform: who may run it is checked before anything is
 * deferred, downloaded or queued; a quick command is answered, a heavy one queued behind a "working" line; a
 * failure is told only to the person who asked, and logged once (an error when it is ours, info when refused).
 */
import { checkAccess, runCommand, submitJob, type Answer, type Command, type CommandContext, type RawOptions } from '../../commands/index.ts';
import { toNotice, type ErrorNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeliveryTarget } from '../../workers/delivery/delivery.ts';
import type { JobProducer } from '../../workers/producer.ts';

/** How a platform answers the person who ran a command. */
export interface Responder {
  answer(answer: Answer): Promise<void>;
  /** Shows that a job is under way; returns where the job's answer goes. */
  working(text: string): Promise<DeliveryTarget>;
  /** Seen by the person who asked alone (in a Telegram group: a reply to their message). */
  refuse(notice: ErrorNotice): Promise<void>;
}

export interface CommandCall {
  command: Command;
  context: CommandContext;
  /** Read once access is granted (reading them may refuse too). */
  options(): RawOptions | Promise<RawOptions>;
  /** Names the request across platforms and retries (the job's id). */
  requestId: string;
  logger: Logger;
  /** A platform's own answer to a refusal (Telegram asks which group): true when it answered. */
  recover?(notice: ErrorNotice): Promise<boolean>;
  /** The error as it may be logged (a platform's secrets cut out). */
  loggable?(error: unknown): unknown;
}

export async function runCommandCall(call: CommandCall, responder: Responder, producer: JobProducer): Promise<void> {
  const { command, context, logger } = call;
  try {
    checkAccess(command, context);
    const outcome = await runCommand(command, context, await call.options());
    if (outcome.kind === 'reply') await responder.answer(outcome.answer);
    else {
      const target = await responder.working(outcome.working);
      await submitJob(producer, outcome.job, { id: call.requestId, server: context.server ?? '', by: context.user, target });
    }
    logger.info({ command: command.name, outcome: outcome.kind }, 'command handled');
  } catch (error) {
    const notice = toNotice(error);
    if (await call.recover?.(notice)) return;
    if (notice.code === 'internal') logger.error({ err: call.loggable?.(error) ?? error, command: command.name }, 'command failed');
    else logger.info({ command: command.name, code: notice.code }, 'command refused');
    await responder.refuse(notice);
  }
}
