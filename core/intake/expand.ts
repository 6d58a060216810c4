import { stat } from 'node:fs/promises';
import path from 'node:path';
import { IdolensError, isIdolensError } from '../errors.ts';
import { walkDirectory } from './directory.ts';
import { downloadImage, redactUrl } from './download.ts';
import { placeInLayout, wrapperDepth } from './layout.ts';
import { fileAccessError, looksLikeZip, readLocalFile } from './local-file.ts';
import { DEFAULT_INTAKE_LIMITS, isInputError } from './types.ts';
import type { InputError, InputItem, IntakeEntry, IntakeLayout, IntakeLimits } from './types.ts';
import { isRefusedMember, listZip } from './zip.ts';

export interface ExpandOptions {
  limits?: Partial<IntakeLimits>;
  layout: IntakeLayout;
  /** Allow URLs that lead to loopback or private LAN addresses (tests, trusted local setups); link-local stays refused. */
  allowPrivateNetwork?: boolean;
}

interface Run {
  limits: IntakeLimits;
  layout: IntakeLayout;
  allowPrivateNetwork: boolean;
  remainingFiles: number;
}

const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HTTP_SCHEME = /^https?:\/\//i;

/**
 * Turns what the user named (files, folders, zips, http(s) URLs) into photos to read, in a stable order.
 * A bad input becomes an InputError entry and the others go on. Zips are recognised by their first bytes
 * when named directly; a zip inside a folder is passed on as a file.
 */
export async function* expandInputs(args: readonly string[], options: ExpandOptions): AsyncGenerator<IntakeEntry> {
  const limits: IntakeLimits = { ...DEFAULT_INTAKE_LIMITS, ...options.limits };
  const run: Run = {
    limits,
    layout: options.layout,
    allowPrivateNetwork: options.allowPrivateNetwork === true,
    remainingFiles: limits.maxFiles,
  };
  for (const arg of args) {
    for await (const entry of expandOne(arg, run)) {
      if (!isInputError(entry)) {
        if (run.remainingFiles === 0) {
          yield { source: arg, error: tooManyFiles(limits.maxFiles) };
          break;
        }
        run.remainingFiles -= 1;
      }
      yield entry;
    }
  }
}

async function* expandOne(arg: string, run: Run): AsyncGenerator<IntakeEntry> {
  if (run.remainingFiles === 0) {
    yield { source: arg, error: tooManyFiles(run.limits.maxFiles) };
    return;
  }
  if (ANY_SCHEME.test(arg)) {
    yield urlEntry(arg, run);
    return;
  }
  try {
    const info = await stat(arg);
    if (info.isDirectory()) yield* directoryEntries(arg, run);
    else if (!info.isFile()) yield { source: arg, error: new IdolensError('not_found', 'This is not a file I can read.') };
    else if (await looksLikeZip(arg)) yield* zipEntries(arg, run);
    else yield placed(arg, [path.basename(arg)], run, readerFor(arg, run));
  } catch (error) {
    yield { source: arg, error: isIdolensError(error) ? error : fileAccessError(error) };
  }
}

function urlEntry(url: string, run: Run): IntakeEntry {
  const source = redactUrl(url);
  if (!HTTP_SCHEME.test(url)) {
    return { source, error: new IdolensError('url_not_allowed', 'I only download from http:// and https:// addresses.') };
  }
  const download = { maxBytes: run.limits.maxBytesPerFile, timeoutMs: run.limits.downloadTimeoutMs };
  return placed(source, [source], run, () => downloadImage(url, { ...download, allowPrivateNetwork: run.allowPrivateNetwork }));
}

async function* directoryEntries(directory: string, run: Run): AsyncGenerator<IntakeEntry> {
  let found = false;
  for await (const walked of walkDirectory(directory)) {
    const source = path.join(directory, ...walked.segments);
    found = true;
    if ('error' in walked) yield { source, error: walked.error };
    else yield placed(source, walked.segments, run, readerFor(source, run));
  }
  if (!found) yield { source: directory, error: new IdolensError('not_found', 'I found no photos in this folder.') };
}

async function* zipEntries(zipPath: string, run: Run): AsyncGenerator<IntakeEntry> {
  const listing = await listZip({ path: path.resolve(zipPath) }, { ...run.limits, maxFiles: run.remainingFiles });
  if (listing.length === 0) {
    yield { source: zipPath, error: new IdolensError('invalid_archive', 'This zip has no photos in it.') };
    return;
  }
  const readable = listing.filter((member) => !isRefusedMember(member));
  const skipped = run.layout === 'member-folders' ? wrapperDepth(readable.map((member) => member.name.split('/'))) : 0;
  for (const member of listing) {
    const source = `${zipPath}:${member.name}`;
    if (isRefusedMember(member)) yield { source, error: member.error };
    else yield placed(source, member.name.split('/').slice(skipped), run, member.read);
  }
}

/** Resolved now, so a later change of working directory cannot change which file is read. */
function readerFor(filePath: string, run: Run): () => Promise<Uint8Array> {
  const absolute = path.resolve(filePath);
  return () => readLocalFile(absolute, run.limits.maxBytesPerFile);
}

function placed(source: string, segments: readonly string[], run: Run, read: () => Promise<Uint8Array>): InputItem | InputError {
  const placement = placeInLayout(segments, run.layout, source);
  if ('error' in placement) return { source, error: placement.error };
  return placement.member === undefined ? { source, read } : { source, member: placement.member, read };
}

function tooManyFiles(maxFiles: number): IdolensError {
  return new IdolensError('too_large', `You gave me more than ${maxFiles} photos at once; I stopped here.`, { maxFiles });
}
