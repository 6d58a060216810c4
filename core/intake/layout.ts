import { IdolensError } from '../errors.ts';
import type { IntakeLayout } from './types.ts';

/** Clutter that operating systems and archivers leave next to photos. */
const IGNORED_NAMES = new Set(['__macosx', '.ds_store', 'thumbs.db', 'desktop.ini']);

export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || IGNORED_NAMES.has(name.toLowerCase());
}

export function isIgnoredPath(segments: readonly string[]): boolean {
  return segments.some(isIgnoredName);
}

export type Placement = { member?: string } | { error: IdolensError };

/**
 * Where a file sits in the layout: with member folders the first folder is the member,
 * and a file outside any folder cannot be placed.
 */
export function placeInLayout(segments: readonly string[], layout: IntakeLayout, source: string): Placement {
  if (layout === 'flat') return {};
  const [folder] = segments;
  if (segments.length < 2 || folder === undefined) return { error: notInMemberFolder(source) };
  return { member: folder.normalize('NFC') };
}

export function notInMemberFolder(source: string): IdolensError {
  return new IdolensError(
    'invalid_archive',
    `"${source}" is not inside a member folder. Put each member's photos in a folder named after the member ` +
      '(for example jennie/1.jpg and lisa/1.jpg) and give me the folder that holds them, or a zip of it.',
    { expected: '<member>/<photo>' },
  );
}

/**
 * Zipping a folder usually wraps everything in that folder's name (`data/jennie/1.jpg`).
 * When every file sits under one shared folder and some sit a level deeper (in member folders), that wrapper
 * is not a member: drop it. Stray files beside the member folders then get the layout error, as they should.
 */
export function wrapperDepth(paths: readonly (readonly string[])[]): 0 | 1 {
  const [first] = paths;
  if (first === undefined) return 0;
  const root = first[0];
  const sharedRoot = paths.every((segments) => segments.length >= 2 && segments[0] === root);
  const hasMemberFolders = paths.some((segments) => segments.length >= 3);
  return sharedRoot && hasMemberFolders ? 1 : 0;
}
