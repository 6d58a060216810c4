import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { IdolensError, isIdolensError } from '../errors.ts';
import { formatMiB } from '../format.ts';
import { isIgnoredPath } from './layout.ts';
import { fileAccessError } from './local-file.ts';
import { tooLarge } from './refusals.ts';
import type { IntakeLimits } from './types.ts';

export type ZipSource = { path: string } | { buffer: Buffer };

export type ZipLimits = Pick<IntakeLimits, 'maxBytesPerFile' | 'maxFiles' | 'maxArchiveBytes'>;

/** A file inside the archive; its bytes are inflated only when read. */
export interface ZipMember {
  /** Path inside the archive, `/`-separated, already checked to stay inside it. */
  name: string;
  declaredSize: number;
  read(): Promise<Uint8Array>;
}

export interface ZipRefusedMember {
  name: string;
  error: IdolensError;
}

export type ZipListing = (ZipMember | ZipRefusedMember)[];

const STORED = 0;
const DEFLATED = 8;
const UNIX_HOSTS = new Set([3, 19]);
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const DOS_DIRECTORY = 0x10;

/**
 * Lists the photos in a zip without inflating any. Directories, symlinks and OS clutter are skipped;
 * an unsafe or oversized entry is refused on its own; an archive over the limits or unreadable throws.
 */
export async function listZip(source: ZipSource, limits: ZipLimits): Promise<ZipListing> {
  const zip = await openZip(source).catch((error: unknown) => {
    throw asArchiveError(error);
  });
  try {
    if (zip.entryCount > limits.maxFiles * 2) throw tooManyFiles(limits.maxFiles);
    return await listEntries(zip, source, limits);
  } catch (error) {
    throw asArchiveError(error);
  } finally {
    zip.close();
  }
}

async function listEntries(zip: ZipFile, source: ZipSource, limits: ZipLimits): Promise<ZipListing> {
  const listing: ZipListing = [];
  let declaredTotal = 0;
  for await (const entry of zip.eachEntry()) {
    const name = entryName(entry);
    if (isDirectory(name, entry) || isSymlink(entry)) continue;
    const unsafe = unsafeNameReason(name);
    if (unsafe === undefined && isIgnoredPath(name.split('/'))) continue;
    if (listing.length >= limits.maxFiles) throw tooManyFiles(limits.maxFiles);
    const refusal = unsafe === undefined ? refusalFor(entry, limits.maxBytesPerFile) : unsafeName(unsafe);
    if (refusal !== undefined) {
      listing.push({ name, error: refusal });
      continue;
    }
    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > limits.maxArchiveBytes) throw archiveTooLarge(limits.maxArchiveBytes);
    listing.push({
      name,
      declaredSize: entry.uncompressedSize,
      read: () => readZipEntry(source, entry, limits.maxBytesPerFile),
    });
  }
  return listing;
}

export function isRefusedMember(member: ZipMember | ZipRefusedMember): member is ZipRefusedMember {
  return 'error' in member;
}

/** Names are raw bytes (we turn off yauzl's decoding so one bad name does not abort the whole archive). */
function entryName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

function unsafeName(reason: string): IdolensError {
  return new IdolensError('invalid_archive', 'This zip has a file whose name points outside the zip; I skipped it.', {
    reason,
  });
}

function refusalFor(entry: Entry, maxBytesPerFile: number): IdolensError | undefined {
  if (entry.isEncrypted()) {
    return new IdolensError('invalid_archive', 'This file inside the zip is password-protected, so I cannot read it.', {
      reason: 'encrypted',
    });
  }
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return new IdolensError('invalid_archive', 'This file inside the zip is compressed in a way I cannot read.', {
      reason: 'compression_method',
      method: entry.compressionMethod,
    });
  }
  if (entry.uncompressedSize > maxBytesPerFile) return tooLarge(maxBytesPerFile, entry.uncompressedSize);
  return undefined;
}

function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0 || name.includes('\0')) return 'empty_or_nul';
  if (yauzl.validateFileName(name) !== null) return 'absolute_or_parent_path';
  return undefined;
}

function isDirectory(name: string, entry: Entry): boolean {
  if (name.endsWith('/')) return true;
  const unixMode = entry.externalFileAttributes >>> 16;
  if (UNIX_HOSTS.has(entry.versionMadeBy >> 8) && (unixMode & S_IFMT) === S_IFDIR) return true;
  return (entry.externalFileAttributes & DOS_DIRECTORY) !== 0 && entry.uncompressedSize === 0;
}

function isSymlink(entry: Entry): boolean {
  const unixMode = entry.externalFileAttributes >>> 16;
  return UNIX_HOSTS.has(entry.versionMadeBy >> 8) && (unixMode & S_IFMT) === S_IFLNK;
}

/** Opens the archive again for each read, so items stay readable in any order and no file stays open. */
async function readZipEntry(source: ZipSource, entry: Entry, maxBytes: number): Promise<Uint8Array> {
  const zip = await openZip(source).catch((error: unknown) => {
    throw asArchiveError(error);
  });
  try {
    const stream = await zip.openReadStreamPromise(entry);
    return await collectAtMost(stream, maxBytes);
  } catch (error) {
    throw asEntryError(error);
  } finally {
    zip.close();
  }
}

/** yauzl also checks the inflated length against the declared size, so a lying header stops early. */
async function collectAtMost(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function openZip(source: ZipSource): Promise<ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
  return 'path' in source ? yauzl.openPromise(source.path, options) : yauzl.fromBufferPromise(source.buffer, options);
}

function asArchiveError(error: unknown): IdolensError {
  if (isIdolensError(error)) return error;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
    return fileAccessError(error);
  }
  const reason = errorText(error);
  return new IdolensError('invalid_archive', 'This zip file is damaged or incomplete, so I cannot open it.', { reason }, {
    cause: error,
  });
}

function asEntryError(error: unknown): IdolensError {
  if (isIdolensError(error)) return error;
  const reason = errorText(error);
  if (reason.startsWith('too many bytes')) {
    return new IdolensError('invalid_archive', 'This file inside the zip is bigger than the zip says, so I stopped reading it.', {
      reason: 'size_mismatch',
    }, { cause: error });
  }
  return new IdolensError('invalid_archive', 'This file inside the zip is damaged, so I cannot read it.', { reason }, {
    cause: error,
  });
}

function tooManyFiles(maxFiles: number): IdolensError {
  return new IdolensError('too_large', `This zip holds more than ${maxFiles} photos; send fewer at a time.`, { maxFiles });
}

function archiveTooLarge(maxBytes: number): IdolensError {
  return new IdolensError('too_large', `This zip unpacks to more than ${formatMiB(maxBytes)}; send fewer photos at a time.`, {
    maxArchiveBytes: maxBytes,
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
