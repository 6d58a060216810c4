import path from 'node:path';
import { IdolensError } from '../../core/errors.ts';
import { expandInputs, isInputError, type IntakeEntry, type IntakeLayout } from '../../core/intake/index.ts';
import { fetchMedia, fetchMediaToFile, type MediaKind, type MediaRef } from '../../core/media-ref/index.ts';
import { isRefusedInput, type JobInput } from '../jobs.ts';
import type { ProcessorContext } from './processor.ts';

function rules(context: ProcessorContext, kind: MediaKind, maxBytes: number) {
  return {
    kind,
    maxBytes,
    timeoutMs: context.core.intakeLimits.downloadTimeoutMs,
    platformHosts: context.mediaHosts,
    allowPrivateNetwork: context.core.allowPrivateNetwork,
    blobs: context.blobs,
    platformFiles: context.platformFiles,
  };
}

export function fetchImage(context: ProcessorContext, ref: MediaRef): Promise<Uint8Array> {
  return fetchMedia(ref, rules(context, 'image', context.core.intakeLimits.maxBytesPerFile));
}

export async function fetchClipToFile(context: ProcessorContext, ref: MediaRef, file: string): Promise<void> {
  await fetchMediaToFile(ref, file, rules(context, 'video', context.core.videoLimits.maxBytes));
}

const ZIP_NAME = /\.zip$/i;

/**
 * A job's inputs as photos to read, in order: refused inputs stay refusals, photos are fetched when read, and a
 * zip (import) is fetched into the work folder and opened there, its entries named after the upload.
 */
export async function intakeEntries(context: ProcessorContext, inputs: readonly JobInput[], layout: IntakeLayout): Promise<IntakeEntry[]> {
  const entries: IntakeEntry[] = [];
  for (const [index, input] of inputs.entries()) {
    if (isRefusedInput(input)) {
      entries.push({ source: input.source, error: new IdolensError(input.error.code, input.error.message), ...(input.member === undefined ? {} : { member: input.member }) });
    } else if (layout === 'member-folders' && input.member === undefined) {
      entries.push(...await archiveEntries(context, input.ref, index));
    } else {
      const { ref } = input;
      entries.push({ source: ref.name, read: () => fetchImage(context, ref), ...(input.member === undefined ? {} : { member: input.member }) });
    }
  }
  return entries;
}

async function archiveEntries(context: ProcessorContext, ref: MediaRef, index: number): Promise<IntakeEntry[]> {
  const file = path.join(context.workDir, `archive-${index}.zip`);
  try {
    await fetchMediaToFile(ref, file, rules(context, 'archive', context.core.intakeLimits.maxArchiveBytes));
  } catch (error) {
    if (error instanceof IdolensError) return [{ source: ref.name, error }];
    throw error;
  }
  const shown = ZIP_NAME.test(ref.name) ? ref.name : `${ref.name}.zip`;
  const entries: IntakeEntry[] = [];
  for await (const entry of expandInputs([file], { layout: 'member-folders', limits: context.core.intakeLimits })) {
    const source = entry.source.startsWith(file) ? `${shown}${entry.source.slice(file.length)}` : entry.source;
    entries.push(isInputError(entry) ? { ...entry, source } : { ...entry, source });
  }
  return entries;
}
