import pino, { type Logger } from 'pino';

export type { Logger };

/** Platform tokens that may sit in logged objects (a job's delivery target, a config). */
const SECRET_PATHS = ['token', '*.token', 'interactionToken', '*.interactionToken', '*.*.interactionToken'];

/** Logs go to stderr so that stdout carries only results. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { app: 'idolens' }, redact: { paths: SECRET_PATHS, censor: '[secret]' } }, pino.destination(2));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
