import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { IdolensError } from '../errors.ts';
import { isIgnoredName } from './layout.ts';

export type WalkEntry = { segments: string[] } | { segments: string[]; error: IdolensError };

/**
 * Every file under `root`, depth first in name order, as path segments relative to `root`.
 * Hidden files and OS clutter are skipped; symlinks to files are followed, symlinks to folders are not (no loops).
 */
export async function* walkDirectory(root: string, segments: string[] = []): AsyncGenerator<WalkEntry> {
  let children: Dirent[];
  try {
    children = await readdir(path.join(root, ...segments), { withFileTypes: true });
  } catch (error) {
    yield { segments, error: new IdolensError('not_found', 'I could not open this folder.', {}, { cause: error }) };
    return;
  }
  const visible = children.filter((child) => !isIgnoredName(child.name)).sort(byName);
  for (const child of visible) {
    const childSegments = [...segments, child.name];
    const kind = await kindOf(child, path.join(root, ...childSegments));
    if (kind === 'directory') yield* walkDirectory(root, childSegments);
    else if (kind === 'file') yield { segments: childSegments };
  }
}

async function kindOf(child: Dirent, fullPath: string): Promise<'file' | 'directory' | 'other'> {
  if (child.isDirectory()) return 'directory';
  if (child.isFile()) return 'file';
  if (!child.isSymbolicLink()) return 'other';
  const target = await stat(fullPath).catch(() => undefined);
  return target?.isFile() === true ? 'file' : 'other';
}

function byName(a: Dirent, b: Dirent): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}
