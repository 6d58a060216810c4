import { rm, stat } from 'node:fs/promises';
import { IdolensError, isIdolensError } from '../errors.ts';
import { downloadImage, downloadToFile } from '../intake/download.ts';
import type { DownloadOptions } from '../intake/download.ts';
import { tooLarge } from '../intake/refusals.ts';
import { assertMediaKind, HEAD_BYTES, readHead } from './check-kind.ts';
import type { FetchRules, MediaKind, MediaRef } from './types.ts';

type UrlRef = Extract<MediaRef, { kind: 'url' }>;
type BlobRef = Extract<MediaRef, { kind: 'blob' }>;

/**
 * The bytes a reference points at, within the rules: a stored blob, or a download (platform URLs only from
 * the platform's hosts, every URL only from public addresses, size and time capped while streaming). The
 * bytes must be the kind asked for.
 */
export async function fetchMedia(ref: MediaRef, rules: FetchRules): Promise<Uint8Array> {
  const bytes = await readRef(ref, rules).catch((error: unknown) => {
    throw asKindRefusal(rules.kind, error);
  });
  assertMediaKind(bytes.subarray(0, HEAD_BYTES), rules.kind);
  return bytes;
}

/**
 * The same, streamed to `destination` instead of memory (for clips of hundreds of MiB); on any refusal
 * nothing is left there. Resolves to the number of bytes written.
 */
export async function fetchMediaToFile(ref: MediaRef, destination: string, rules: FetchRules): Promise<number> {
  await writeRefToFile(ref, destination, rules).catch((error: unknown) => {
    throw asKindRefusal(rules.kind, error);
  });
  try {
    const { size } = await stat(destination);
    if (size > rules.maxBytes) throw asKindRefusal(rules.kind, tooLarge(rules.maxBytes, size));
    assertMediaKind(await readHead(destination), rules.kind);
    return size;
  } catch (error) {
    await rm(destination, { force: true });
    throw error;
  }
}

async function readRef(ref: MediaRef, rules: FetchRules): Promise<Uint8Array> {
  if (ref.kind === 'url') return downloadImage(ref.url, downloadOptions(ref, rules));
  const stored = await rules.blobs.get(ref.key);
  if (stored === undefined) throw uploadExpired(ref);
  if (stored.length > rules.maxBytes) throw tooLarge(rules.maxBytes, stored.length);
  return stored;
}

async function writeRefToFile(ref: MediaRef, destination: string, rules: FetchRules): Promise<void> {
  if (ref.kind === 'url') await downloadToFile(ref.url, destination, downloadOptions(ref, rules));
  else if (!(await rules.blobs.writeToFile(ref.key, destination))) throw uploadExpired(ref);
}

/** Anything but an admin's link is held to the platform's hosts, so a reference with a bad `trust` fails closed. */
function downloadOptions(ref: UrlRef, rules: FetchRules): DownloadOptions {
  return {
    maxBytes: rules.maxBytes,
    timeoutMs: rules.timeoutMs,
    allowPrivateNetwork: rules.allowPrivateNetwork,
    ...(ref.trust === 'admin' ? {} : { allowedHosts: rules.platformHosts }),
  };
}

/** A clip over the byte cap is refused as a clip ('video_too_large'), as the video intake does. */
function asKindRefusal(kind: MediaKind, error: unknown): unknown {
  if (kind === 'video' && isIdolensError(error) && error.code === 'too_large') {
    return new IdolensError('video_too_large', error.message, error.details, { cause: error });
  }
  return error;
}

function uploadExpired(ref: BlobRef): IdolensError {
  return new IdolensError('not_found', 'This upload has expired; send it again.', { name: ref.name, reason: 'expired' });
}
