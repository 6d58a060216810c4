import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { IdolensError, isIdolensError } from '../errors.ts';
import { downloadImage, downloadToFile } from '../intake/download.ts';
import type { DownloadOptions } from '../intake/download.ts';
import { tooLarge } from '../intake/refusals.ts';
import { assertMediaKind, HEAD_BYTES, readHead } from './check-kind.ts';
import type { FetchRules, LocatedFile, MediaKind, MediaRef } from './types.ts';

type UrlRef = Extract<MediaRef, { kind: 'url' }>;
type BlobRef = Extract<MediaRef, { kind: 'blob' }>;
type PlatformFileRef = Extract<MediaRef, { kind: 'platform-file' }>;

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
  if (ref.kind === 'platform-file') {
    const located = await locate(ref, rules);
    if ('path' in located) return readLocalFile(located.path, rules.maxBytes);
    return downloadImage(located.url, locatedOptions(located, rules));
  }
  const stored = await rules.blobs.get(ref.key);
  if (stored === undefined) throw uploadExpired(ref);
  if (stored.length > rules.maxBytes) throw tooLarge(rules.maxBytes, stored.length);
  return stored;
}

async function writeRefToFile(ref: MediaRef, destination: string, rules: FetchRules): Promise<void> {
  if (ref.kind === 'url') await downloadToFile(ref.url, destination, downloadOptions(ref, rules));
  else if (ref.kind === 'platform-file') await writePlatformFile(ref, destination, rules);
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

async function locate(ref: PlatformFileRef, rules: FetchRules): Promise<LocatedFile> {
  const locator = rules.platformFiles[ref.platform];
  // Transient: a process that has the platform's credentials may take the job.
  if (locator === undefined) throw new Error(`this process cannot fetch ${ref.platform} files: it has no ${ref.platform} token`);
  return locator(ref.fileId);
}

async function writePlatformFile(ref: PlatformFileRef, destination: string, rules: FetchRules): Promise<void> {
  const located = await locate(ref, rules);
  if ('path' in located) {
    await checkLocalFileSize(located.path, rules.maxBytes);
    await copyFile(located.path, destination);
  } else {
    await downloadToFile(located.url, destination, locatedOptions(located, rules));
  }
}

/** The platform's own file server only, whatever the configured media hosts are. */
function locatedOptions(located: { host: string; trustedOrigin?: string }, rules: FetchRules): DownloadOptions {
  return {
    maxBytes: rules.maxBytes, timeoutMs: rules.timeoutMs, allowPrivateNetwork: rules.allowPrivateNetwork, allowedHosts: [located.host],
    ...(located.trustedOrigin === undefined ? {} : { trustedOrigins: [located.trustedOrigin] }),
  };
}

async function checkLocalFileSize(file: string, maxBytes: number): Promise<void> {
  const { size } = await stat(file);
  if (size > maxBytes) throw tooLarge(maxBytes, size);
}

async function readLocalFile(file: string, maxBytes: number): Promise<Uint8Array> {
  await checkLocalFileSize(file, maxBytes);
  return readFile(file);
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
