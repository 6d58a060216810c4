/**
 * How an answer names a command, where it is read: a chat's slash commands (Discord, Telegram), or the `idolens`
 * command line. Answers take one of these, so none carries one platform's syntax.
 */
export interface Phrasing {
  /** A command as it is typed here, with its words: "/group create", "idolens group create". */
  command(name: string, ...words: string[]): string;
  /** Adds a pending set of photos: all of them, or all but the numbers in `except`. */
  acceptPending(id: string, except?: readonly number[]): string;
  /** Drops a pending set of photos. */
  discardPending(id: string): string;
  /** How to enroll a member whose name is close to an existing one's, on purpose. */
  newMember(group: string, member: string): string;
}

/** A chat's commands, after its command prefix: "/review 1a2b3c4d accept except 2 5". */
export function chatPhrasing(prefix: string): Phrasing {
  return {
    command: (name, ...words) => [`${prefix}${name}`, ...words].join(' '),
    acceptPending: (id, except = []) => `${prefix}review ${id} accept${except.length === 0 ? '' : ` except ${except.join(' ')}`}`,
    discardPending: (id) => `${prefix}review ${id} discard`,
    newMember: (group, member) => `To create a new member named "${member}" anyway, add the new option: ${prefix}enroll ${group} ${member} new`,
  };
}

/** Discord and Telegram both name commands with a slash. */
export const SLASH_PHRASING = chatPhrasing('/');

/** The `idolens` command line: "idolens pending accept 1a2b3c4d --except 2,5". */
export const CLI_PHRASING: Phrasing = {
  command: (name, ...words) => ['idolens', name, ...words].join(' '),
  acceptPending: (id, except = []) => `idolens pending accept ${id}${except.length === 0 ? '' : ` --except ${except.join(',')}`}`,
  discardPending: (id) => `idolens pending discard ${id}`,
  newMember: (_group, member) => `Add --new to create a new member named "${member}".`,
};

/** A job's answer in words, from its result data. */
export type AnswerText<Data> = (data: Data, phrasing: Phrasing) => string;
