import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { createIo } from '../io.ts';
import type { CommandState } from '../command-state.ts';
import { UsageError } from '../usage-error.ts';

interface DeployOptions {
  guild?: string;
  global?: boolean;
  json?: boolean;
}

export function registerDeployCommands(program: Command, _state: CommandState): void {
  program
    .command('deploy-commands')
    .description('register the slash and message commands with Discord (npm run deploy-commands; needs DISCORD_TOKEN)')
    .option('--guild <id>', 'only in this server, instantly (default: DISCORD_DEV_GUILD_ID when set)')
    .option('--global', 'everywhere the bot is installed (can take up to an hour to show), even when DISCORD_DEV_GUILD_ID is set')
    .option('--json', 'one JSON line')
    .action(async (options: DeployOptions) => {
      const io = createIo(options.json === true);
      const config = loadConfig(process.env);
      if (config.discord === undefined) throw new UsageError('set DISCORD_TOKEN (the bot token from the Discord developer portal) to register commands.');
      const guild = options.global === true ? undefined : (options.guild ?? config.discord.devGuildId);
      const { deployCommands } = await import('../../bot/discord/deploy.ts');
      const result = await deployCommands(config.discord, guild);
      if (io.json) io.resultJson(result);
      else io.result(`Registered ${result.commands.length} commands (${result.commands.join(', ')}) ${result.scope === 'global' ? 'globally' : `in server ${result.scope.guild}`}.`);
    });
}
