/**
 * A pack's entries, read under caps before anything is inflated: the pack's size, the number of entries, each
 * entry's declared size and compression ratio, and their total, all from the zip's directory; then each entry is
 * inflated and yauzl stops any whose data runs past its declared size. Any problem refuses the whole pack.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { IdolensError, isIdolensError } from '../errors.ts';
import { formatSize } from '../format.ts';
import { MANIFEST_NAME } from './manifest.ts';
import { RATIO_EXEMPT_BYTES, type PackLimits } from './limits.ts';

const STORED = 0;
const DEFLATED = 8;

export function packInvalid(reason: string, details: Record<string, string | number> = {}): IdolensError {
  return new IdolensError('pack_invalid', `This pack was refused, nothing was imported: ${reason}`, details);
}

export function packTooLarge(reason: string, details: Record<string, string | number> = {}): IdolensError {
  return new IdolensError('pack_too_large', `This pack was refused, nothing was imported: ${reason}`, details);
}

/** Every entry of the pack, by name, inflated. */
export async function readPackEntries(bytes: Buffer, limits: PackLimits): Promise<Map<string, Buffer>> {
  if (bytes.length > limits.maxPackBytes) throw packTooLarge(`it is ${formatSize(bytes.length)}; packs up to ${formatSize(limits.maxPackBytes)} are opened.`, { bytes: bytes.length });
  const zip = await openZip(bytes);
  try {
    if (zip.entryCount > limits.maxEntries) throw packTooLarge(`it holds ${zip.entryCount} files; a pack may hold ${limits.maxEntries}.`, { entries: zip.entryCount });
    return await readEntries(zip, limits);
  } catch (error) {
    throw asPackError(error);
  } finally {
    zip.close();
  }
}

async function readEntries(zip: ZipFile, limits: PackLimits): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    const name = entryName(entry);
    checkEntryHeader(name, entry, limits);
    if (entries.has(name)) throw packInvalid(`it holds two files named ${quoted(name)}.`);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) throw packTooLarge(`it unpacks to more than ${formatSize(limits.maxTotalBytes)}.`, { maxTotalBytes: limits.maxTotalBytes });
    entries.set(name, await readEntry(zip, entry));
  }
  return entries;
}

/** Everything the zip's directory lets us check before inflating a byte. */
function checkEntryHeader(name: string, entry: Entry, limits: PackLimits): void {
  if (name.length === 0 || name.includes('\0') || yauzl.validateFileName(name) !== null) {
    throw packInvalid(`it has a file whose name points outside it (${quoted(name)}).`, { reason: 'unsafe_name' });
  }
  if (entry.isEncrypted()) throw packInvalid(`${quoted(name)} is password-protected.`);
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) throw packInvalid(`${quoted(name)} is compressed in a way I do not read.`);
  const cap = name === MANIFEST_NAME ? limits.maxManifestBytes : limits.maxEntryBytes;
  if (entry.uncompressedSize > cap) {
    throw packTooLarge(`${quoted(name)} unpacks to ${formatSize(entry.uncompressedSize)}; at most ${formatSize(cap)} is allowed.`, { entry: name, bytes: entry.uncompressedSize });
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize >= RATIO_EXEMPT_BYTES && ratio > limits.maxCompressionRatio) {
    throw packTooLarge(`${quoted(name)} is compressed ${Math.round(ratio)} times, as zip bombs are (at most ${limits.maxCompressionRatio} is allowed).`, { entry: name, ratio: Math.round(ratio) });
  }
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  return collectAtMost(stream, entry.uncompressedSize);
}

async function collectAtMost(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      throw packInvalid('a file inside it is bigger than the pack says.', { reason: 'size_mismatch' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Names are raw bytes: decoded here, so that a bad name is refused with its reason rather than by the library. */
function entryName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

async function openZip(bytes: Buffer): Promise<ZipFile> {
  try {
    return await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    throw asPackError(error);
  }
}

function asPackError(error: unknown): IdolensError {
  if (isIdolensError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (reason.startsWith('too many bytes') || reason.startsWith('not enough bytes')) {
    return packInvalid('a file inside it does not have the size the pack says.', { reason: 'size_mismatch' });
  }
  return packInvalid('it is not a zip file, or it is damaged.', { reason: reason.slice(0, 200) });
}

export function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}
