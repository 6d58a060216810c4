import { z } from 'zod';
import { redactUrl } from '../intake/redact-url.ts';
import { isBlobKey } from './blob-key.ts';
import type { MediaRef } from './types.ts';

const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What the user sees: a file name, or a URL only in its redacted form (no query string, credentials or token). */
const displayName = z.string().min(1).max(300).refine(isSafeDisplayName, 'a file name or a redacted URL');

/** Checks a MediaRef read back from a job's data (which came through Redis, so it is not trusted as typed). */
export const mediaRefSchema: z.ZodType<MediaRef> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('url'),
    url: z.string().max(4096).regex(/^https?:\/\//i, 'an http(s) URL'),
    name: displayName,
    trust: z.enum(['platform', 'admin']),
  }),
  z.strictObject({
    kind: z.literal('platform-file'),
    platform: z.literal('telegram'),
    fileId: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/, 'a file id'),
    name: displayName,
  }),
  z.strictObject({
    kind: z.literal('blob'),
    key: z.string().refine(isBlobKey, 'a blob key'),
    name: displayName,
  }),
]);

function isSafeDisplayName(name: string): boolean {
  const control = [...name].some((character) => character.charCodeAt(0) < 0x20 || character === '\u007f');
  return !control && (!URL_START.test(name) || redactUrl(name) === name);
}
