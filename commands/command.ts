/**
 * A command, once for every platform: its name, options, who may run it, and what it does — a quick answer
 * (store reads and small edits) or a job for the workers. Adapters turn their platform's events into a call of
 * `run`, and the outcome into their platform's replies.
 */
import type { z } from 'zod';
import type { CoreContext } from '../core/context.ts';
import type { JobName, JobPayloads } from '../workers/jobs.ts';
import type { Answer, OutgoingFile } from './answer.ts';
import type { TextGrammar } from './text-grammar.ts';
import type { Phrasing } from '../answers/phrasing.ts';

export type Access = 'everyone' | 'admin';

/** Where a command may be used: in a server (groups live there), or also in direct messages. */
export type Scope = 'server' | 'anywhere';

export type OptionKind = 'string' | 'integer' | 'number' | 'boolean' | 'attachment';

export interface OptionSpec {
  name: string;
  description: string;
  kind: OptionKind;
  required: boolean;
  /** Suggestions from this server's groups, or the chosen group's members. */
  autocomplete?: 'group' | 'member';
  min?: number;
  max?: number;
  maxLength?: number;
  /** The only values a string option takes (shown as a menu). */
  choices?: readonly string[];
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
}

export interface CommandContext {
  core: CoreContext;
  /** The server (platform-prefixed, e.g. `discord:<guild id>`); undefined in direct messages. */
  server: string | undefined;
  /** The user's platform id. */
  user: string;
  /** How the user is shown to others (a display name), where the platform says. */
  userName?: string;
  isAdmin: boolean;
  /** The most bytes one file of the answer may have on this platform, here. */
  uploadLimitBytes: number;
  /** How commands are named in answers here ("/train" in chats). */
  phrasing: Phrasing;
  /** Who counts as an admin here, in the platform's words ("Manage Server", "chat administrators"). */
  admins: string;
}

export type JobSubmission = { [N in JobName]: { name: N; payload: JobPayloads[N] } }[JobName];

export type CommandOutcome =
  | { kind: 'reply'; answer: Answer }
  /** Heavy work: the adapter queues it and shows `working` until the worker's answer replaces it. */
  | { kind: 'job'; job: JobSubmission; working: string };

export interface Command<Schema extends z.ZodType = z.ZodType> {
  /** Slash commands are typed; message commands run on a message's photo or video (its `media` option). */
  kind: 'slash' | 'message';
  /** What a message command looks for in the message. */
  media?: 'image' | 'video';
  name: string;
  description: string;
  access: Access;
  /** The answer differs for admins (help's first step): adapters that look roles up lazily look this one up too. */
  answerDependsOnRole?: boolean;
  scope: Scope;
  /** Run by the bots' own buttons and menus (or typed as a reply on Telegram): not a Discord slash command, not in /help's list. */
  unlisted?: boolean;
  /** Only the user who ran it sees the answer (settings, admin lists). */
  privateAnswer: boolean;
  options: OptionSpec[];
  subcommands: SubcommandSpec[];
  /** Validates the raw options (and subcommand) into what `run` takes. */
  schema: Schema;
  /** How it is typed as text (Telegram); message commands have none. */
  text?: TextGrammar;
  run(context: CommandContext, input: z.infer<Schema>): Promise<CommandOutcome>;
}

export function reply(text: string, files: OutgoingFile[] = []): CommandOutcome {
  return { kind: 'reply', answer: { text, files } };
}
