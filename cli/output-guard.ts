import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './usage-error.ts';

async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined;
  }
}

const isUrl = (input: string): boolean => /^https?:\/\//i.test(input);

/** Whether `output` is `input` itself (the same path or, through a link, the same file) or a file inside an input folder. */
async function isInput(output: string, input: string): Promise<boolean> {
  if (isUrl(input)) return false;
  const [outputPath, inputPath] = [path.resolve(output), path.resolve(input)];
  if (outputPath === inputPath) return true;
  const inputInfo = await stat(inputPath).catch(() => undefined);
  if (inputInfo?.isDirectory()) return outputPath.startsWith(inputPath + path.sep) && (await fileIdentity(outputPath)) !== undefined;
  const [a, b] = await Promise.all([fileIdentity(outputPath), fileIdentity(inputPath)]);
  return a !== undefined && a === b;
}

/**
 * Checked before any work, by every command that writes files: it never writes over one of its inputs (not even
 * with --force), and it replaces an existing file only with --force. Files a command names itself inside an
 * output folder (`photo.labelled.jpg`) are its own and are replaced on a second run.
 */
export async function guardOutputs(outputs: readonly string[], inputs: readonly string[], force: boolean): Promise<void> {
  for (const output of outputs) {
    for (const input of inputs) {
      if (await isInput(output, input)) throw new UsageError(`${output} is one of this command's inputs: choose another output path (nothing was written).`);
    }
    if (!force && (await fileIdentity(output)) !== undefined) throw new UsageError(`${output} already exists: add --force to replace it (nothing was written).`);
  }
}

export const FORCE_OPTION = ['--force', 'replace output files that already exist (never an input)'] as const;
