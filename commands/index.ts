/** Every command, once; both bot adapters build on this list. */
import { annotateMessageCommand } from './annotate-message.ts';
import { annotateCommand } from './annotate.ts';
import type { Command } from './command.ts';
import { correctCommand } from './correct.ts';
import { cutCommand } from './cut.ts';
import { enrollCommand } from './enroll.ts';
import { forgetCommand } from './forget.ts';
import { groupCommand } from './group.ts';
import { helpCommand } from './help.ts';
import { keepCommand } from './keep.ts';
import { identifyMessageCommand } from './identify-message.ts';
import { identifyCommand } from './identify.ts';
import { membersCommand } from './members.ts';
import { packCommand } from './pack.ts';
import { reviewCommand } from './review.ts';
import { settingsCommand } from './settings.ts';
import { suggestionsCommand } from './suggestions.ts';
import { sheetCommand } from './sheet.ts';
import { trainCommand } from './train.ts';

export const COMMANDS: readonly Command[] = [
  identifyCommand, annotateCommand, cutCommand, enrollCommand, groupCommand, membersCommand, sheetCommand,
  forgetCommand, keepCommand, trainCommand, settingsCommand, packCommand, reviewCommand, suggestionsCommand, correctCommand, helpCommand, identifyMessageCommand, annotateMessageCommand,
];

export function findCommand(name: string, kind: Command['kind'] = 'slash'): Command | undefined {
  return COMMANDS.find((command) => command.name === name && command.kind === kind);
}

export * from './command.ts';
export * from './option-values.ts';
export { resolveGroup } from './options.ts';
export { checkAccess, runCommand } from './run.ts';
export * from './answer.ts';
export { submitJob } from './submit.ts';
