/** A Telegram message's command: "/identify@idolens_bot TWICE" → its name, the bot it is addressed to, its words. */
import { words } from '../../commands/text-grammar.ts';

export interface CommandText {
  /** Lower-case command name, without the slash or @botname. */
  name: string;
  /** The bot named after @, if any ("/identify@idolens_bot"). */
  addressedTo: string | undefined;
  args: string[];
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;

export function parseCommandText(text: string): CommandText | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  return { name: (match[1] ?? '').toLowerCase(), addressedTo: match[2], args: words(match[3] ?? '') };
}
