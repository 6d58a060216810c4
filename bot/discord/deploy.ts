/** Registers the commands with Discord: to one guild (instant, for development) or globally. */
import { REST, Routes, type APIApplication } from 'discord.js';
import { COMMANDS } from '../../commands/index.ts';
import type { DiscordSettings } from '../../core/config.ts';
import { applicationCommands } from './command-data.ts';
import { discordCall } from './transport-error.ts';

export interface DeployResult {
  applicationId: string;
  scope: 'global' | { guild: string };
  commands: string[];
}

export async function deployCommands(settings: DiscordSettings, guild: string | undefined): Promise<DeployResult> {
  const rest = new REST({ version: '10', api: settings.apiRoot }).setToken(settings.token);
  const applicationId = settings.applicationId ?? (await discordCall('GET', Routes.currentApplication(), () => rest.get(Routes.currentApplication())) as APIApplication).id;
  const route = guild === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, guild);
  const body = applicationCommands(COMMANDS);
  await discordCall('PUT', route, () => rest.put(route, { body }));
  return { applicationId, scope: guild === undefined ? 'global' : { guild }, commands: body.map((command) => command.name) };
}
