import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config.ts';
import { ModelFileError } from '../models/model-file.ts';
import { toNotice, isIdolensError } from '../core/errors.ts';
import type { CommandState } from './command-state.ts';
import { registerAnnotate } from './commands/annotate.ts';
import { registerCut } from './commands/cut.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDeployCommands } from './commands/deploy-commands.ts';
import { registerEnroll } from './commands/enroll.ts';
import { registerGroup } from './commands/group.ts';
import { registerIdentify } from './commands/identify.ts';
import { registerMembers } from './commands/members.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPack } from './commands/pack.ts';
import { registerPending } from './commands/pending.ts';
import { registerSheetAndForget } from './commands/samples.ts';
import { registerReview } from './commands/review.ts';
import { registerServe } from './commands/serve.ts';
import { registerSettings } from './commands/settings.ts';
import { registerSuggestions } from './commands/suggestions.ts';
import { registerTrain } from './commands/train.ts';
import { CANCELLED_EXIT_CODE } from './cancel.ts';
import { createIo, EXIT } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Domain errors that are a mistake in how the command was called (an option's value), not in its input. */
const OPTION_VALUE_CODES: ReadonlySet<string> = new Set(['invalid_setting', 'invalid_option']);

function buildProgram(state: CommandState): Command {
  const program = new Command('idolens')
    .description('Tell K-pop idols apart: enroll members from a few photos, then name every face in a picture.')
    .option('--data <dir>', 'data directory (default: $IDOLENS_DATA or ./data)')
    .option('--server <id>', 'server (tenant) whose groups to use', 'local')
    .option('--verbose', 'log what the pipeline does (info lines on stderr; IDOLENS_LOG_LEVEL sets any level)')
    .showHelpAfterError()
    .exitOverride();
  registerGroup(program, state);
  registerEnroll(program, state);
  registerMembers(program, state);
  registerPending(program, state);
  registerSheetAndForget(program, state);
  registerReview(program, state);
  registerSuggestions(program, state);
  registerTrain(program, state);
  registerIdentify(program, state);
  registerAnnotate(program, state);
  registerCut(program, state);
  registerSettings(program, state);
  registerMigrate(program, state);
  registerPack(program, state);
  registerDemo(program, state);
  registerServe(program, state);
  registerDeployCommands(program, state);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code: 0 ok, 1 some input was bad, 2 usage (an option's value too), 130 cancelled (Ctrl-C). */
export async function main(argv: readonly string[]): Promise<number> {
  const state: CommandState = { exitCode: EXIT.ok };
  const wantsJson = argv.includes('--json');
  const io = createIo(wantsJson);
  try {
    await buildProgram(state).parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.problem(error.message);
      return EXIT.usage;
    }
    if (isIdolensError(error) && error.code === 'cancelled') {
      io.problem(error.message);
      if (wantsJson) io.resultJson({ error: toNotice(error) });
      return CANCELLED_EXIT_CODE;
    }
    if (error instanceof ModelFileError) io.problem(error.message);
    else if (!isIdolensError(error)) io.problem(`unexpected failure: ${(error as Error).stack ?? String(error)}`);
    else io.problem(error.message);
    if (wantsJson) io.resultJson({ error: toNotice(error) });
    return isIdolensError(error) && OPTION_VALUE_CODES.has(error.code) ? EXIT.usage : EXIT.badInput;
  }
}
