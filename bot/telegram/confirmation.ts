/** The question a command asks before it runs on Telegram ("Forget Lisa? This cannot be undone."), with its buttons. */
import type { Command, CommandContext, RawOptions } from '../../commands/index.ts';

/** The question, for someone allowed to run the command with options that hold up. */
export async function confirmation(command: Command, context: CommandContext, prepared: () => Promise<RawOptions>): Promise<string | undefined> {
  const confirm = command.text?.confirm;
  if (confirm === undefined || (command.access === 'admin' && !context.isAdmin)) return undefined;
  // Options that do not hold up are refused by the run itself, with its reason.
  const options = await prepared().catch(() => undefined);
  return options === undefined ? undefined : confirm(options);
}

/** A command's name as a button: "Forget". */
export function capitalised(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}
