import type { IdolensError } from '../errors.ts';

/** One photo the user named, read only when asked so a big folder never sits in memory at once. */
export interface InputItem {
  /** What the user sees: a file path, `archive.zip:jennie/1.jpg`, or a URL without its query string. */
  source: string;
  /** The member this photo belongs to, from the folder it sits in (member-folders layout only). */
  member?: string;
  /** Throws IdolensError: not_found, too_large, download_failed, url_not_allowed, invalid_archive. */
  read(): Promise<Uint8Array>;
}

/** An input that could not be used; the other inputs still go on. */
export interface InputError {
  source: string;
  error: IdolensError;
}

export type IntakeEntry = InputItem | InputError;

export interface IntakeLimits {
  maxBytesPerFile: number;
  /** Photos per call, over all inputs together. */
  maxFiles: number;
  /** Total uncompressed bytes of one zip archive. */
  maxArchiveBytes: number;
  downloadTimeoutMs: number;
}

export const DEFAULT_INTAKE_LIMITS: Readonly<IntakeLimits> = {
  maxBytesPerFile: 25 * 1024 * 1024,
  maxFiles: 2000,
  maxArchiveBytes: 500 * 1024 * 1024,
  downloadTimeoutMs: 20_000,
};

export type IntakeLayout = 'flat' | 'member-folders';

export function isInputError(entry: IntakeEntry): entry is InputError {
  return 'error' in entry;
}
