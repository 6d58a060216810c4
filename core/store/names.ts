import { IdolensError } from '../errors.ts';

const MAX_NAME_LENGTH = 40;
/** Letters and combining marks of any script, digits, space, `.`, `-`, `_` and `'`. */
const ALLOWED_NAME = /^[\p{L}\p{M}\p{N} ._'-]+$/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const TYPOGRAPHIC_APOSTROPHES = /[\u2018\u2019\u02BC]/g;
const SERVER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The tidy form of a user-given group or member name, as it is shown back to users.
 * Throws `invalid_name` when the name is empty, too long or has characters we do not allow.
 */
export function displayName(raw: string): string {
  const name = raw
    .normalize('NFC')
    .replace(TYPOGRAPHIC_APOSTROPHES, "'")
    .trim()
    .replace(/\s+/gu, ' ');
  const length = [...name].length;
  const valid = length >= 1 && length <= MAX_NAME_LENGTH && ALLOWED_NAME.test(name) && HAS_LETTER_OR_DIGIT.test(name);
  if (!valid) throw new IdolensError('invalid_name', undefined, { name: raw.slice(0, 80) });
  return name;
}

/** The lookup key of a name: "Jennie", " jennie " and "ＪＥＮＮＩＥ" are the same member. */
export function nameKey(raw: string): string {
  return displayName(raw).normalize('NFKC').toLowerCase();
}

/** Server (tenant) ids come from platforms, not users: 1–64 of `A-Z a-z 0-9 _ . : -`. */
export function assertServerId(server: string): string {
  if (!SERVER_ID.test(server)) throw new IdolensError('invalid_name', 'That server id is not valid.', { server: server.slice(0, 80) });
  return server;
}
