import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnswerFile } from '../results.ts';

/** A file the processor wrote into its work folder, as part of its answer. */
export async function answerFile(file: string, role: AnswerFile['role'], contentType: string): Promise<AnswerFile> {
  return { name: path.basename(file), role, contentType, path: file, bytes: (await stat(file)).size };
}
