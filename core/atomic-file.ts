import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';

/** A fresh name in the same folder as `target`, so the final rename never crosses file systems. */
export function temporaryPathBeside(target: string): string {
  return `${target}.${randomBytes(6).toString('hex')}.part`;
}

/** Writes `bytes` to `target` so that readers see either the old file or the whole new one. */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string): Promise<void> {
  await viaTemporaryFile(target, (temporary) => writeFile(temporary, bytes, { flag: 'wx', mode: 0o600 }));
}

export async function copyFileAtomic(source: string, target: string): Promise<void> {
  await viaTemporaryFile(target, (temporary) => copyFile(source, temporary, constants.COPYFILE_EXCL));
}

/** Moves `source` to `target`: a rename, or (across file systems) an atomic copy and the source removed. */
export async function moveFileAtomic(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFileAtomic(source, target);
    await rm(source, { force: true });
  }
}

async function viaTemporaryFile(target: string, fill: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = temporaryPathBeside(target);
  try {
    await fill(temporary);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
