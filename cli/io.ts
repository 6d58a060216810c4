import { isIdolensError, toNotice } from '../core/errors.ts';
import type { CommandState } from './command-state.ts';

/** stdout carries only results; everything else goes to stderr. */
export interface CliIo {
  json: boolean;
  result(line: string): void;
  resultJson(value: unknown): void;
  info(message: string): void;
  problem(message: string): void;
}

export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

export function createIo(json: boolean): CliIo {
  return {
    json,
    result: (line) => process.stdout.write(`${line}\n`),
    resultJson: (value) => process.stdout.write(`${JSON.stringify(value)}\n`),
    info: (message) => process.stderr.write(`${message}\n`),
    problem: (message) => process.stderr.write(`idolens: ${message}\n`),
  };
}

export function errorLine(source: string, error: unknown): { file: string; error: { code: string; message: string } } {
  return { file: source, error: toNotice(error) };
}

/** A refusal of the input a command was given (not a cancellation, not our bug): its error line, and exit 1. */
export function reportRefusedInput(io: CliIo, state: CommandState, source: string, error: unknown): void {
  if (!isIdolensError(error) || error.code === 'cancelled') throw error;
  state.exitCode = EXIT.badInput;
  if (io.json) io.resultJson(errorLine(source, error));
  io.problem(`${source}: ${error.message}`);
}
