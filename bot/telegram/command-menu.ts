/**
 * The "/" menu Telegram shows, generated from `commands/`: everyone's commands for all chats, and every command in
 * private chats (the user owns that chat's groups) and for group administrators.
 */
import type { Telegram } from 'telegraf';
import type { BotCommand } from 'telegraf/types';
import type { Command } from '../../commands/index.ts';
import { telegramCall } from './transport-error.ts';

const MAX_DESCRIPTION = 256;

export function menuEntries(commands: readonly Command[], admin: boolean): BotCommand[] {
  return commands
    .filter((command) => command.kind === 'slash' && (admin || command.access === 'everyone'))
    .map((command) => ({ command: command.name, description: command.description.slice(0, MAX_DESCRIPTION) }));
}

export async function syncCommandMenu(telegram: Telegram, commands: readonly Command[]): Promise<void> {
  await telegramCall('setMyCommands', () => telegram.setMyCommands(menuEntries(commands, false), { scope: { type: 'default' } }));
  await telegramCall('setMyCommands', () => telegram.setMyCommands(menuEntries(commands, true), { scope: { type: 'all_private_chats' } }));
  await telegramCall('setMyCommands', () => telegram.setMyCommands(menuEntries(commands, true), { scope: { type: 'all_chat_administrators' } }));
}
