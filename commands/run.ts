import { IdolensError } from '../core/errors.ts';
import type { Command, CommandContext, CommandOutcome } from './command.ts';
import type { RawOptions } from './option-values.ts';

/**
 * Runs a command for a user, whatever the platform: outside a server only `anywhere` commands, admin commands
 * only for admins (checked here on every call, whatever the platform's menus hide), options validated.
 */
export async function runCommand(command: Command, context: CommandContext, options: RawOptions): Promise<CommandOutcome> {
  checkAccess(command, context);
  const parsed = command.schema.safeParse(withoutUnset(options));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue?.path.join('.') ?? '';
    throw new IdolensError('invalid_option', option === '' ? undefined : `The option "${option}" is missing or not allowed.`, { option });
  }
  return command.run(context, parsed.data);
}

/** Who may run it, where: checked before anything else happens (nothing deferred, downloaded or queued). */
export function checkAccess(command: Command, context: Pick<CommandContext, 'server' | 'isAdmin'>): void {
  if (command.scope === 'server' && context.server === undefined) throw new IdolensError('server_only');
  if (command.access === 'admin' && !context.isAdmin) throw new IdolensError('admin_only');
}

function withoutUnset(options: RawOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
