import pino, { type Logger } from 'pino';

export type { Logger };

/** Logs go to stderr so that stdout carries only results. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { app: 'idolens' } }, pino.destination(2));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
