import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnswerFile, FileRole } from '../results.ts';

/** A file the processor wrote into its work folder, as part of its answer. */
export async function answerFile(file: string, role: FileRole, contentType: string): Promise<AnswerFile> {
  return { name: path.basename(file), role, contentType, path: file, bytes: (await stat(file)).size };
}

/** Writes `contents` into the work folder as `name`, a file of the answer. */
export async function writeAnswerFile(workDir: string, name: string, contents: Uint8Array | string, role: FileRole, contentType: string): Promise<AnswerFile> {
  const file = path.join(workDir, name);
  await writeFile(file, contents);
  return answerFile(file, role, contentType);
}
