import type { Command } from 'commander';
import type { CommandState } from '../main.ts';

export function registerDemo(_program: Command, _state: CommandState): void {}
