/**
 * The shared folder of real face photos (`../shared/faces` next to the repository). Tests that need it fail
 * loudly when it is missing: a skipped face test would look green while proving nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function locateFacesDir(): string {
  const dir = path.resolve(repoRoot, '..', 'shared', 'faces');
  if (!existsSync(path.join(dir, 'index.csv'))) {
    throw new Error(
      `The real face photos are missing: expected ${dir} (with its index.csv). `
      + 'Integration tests need them; put the shared face sets there (see its README.md) instead of skipping.',
    );
  }
  return dir;
}

export const facesDir = locateFacesDir();

/** The absolute path of one photo of the shared sets; throws if that photo is not there. */
export function facePhoto(...segments: string[]): string {
  const file = path.join(facesDir, ...segments);
  if (!existsSync(file)) throw new Error(`Missing shared face photo ${file}: the tests choose it by name, so the set must not change.`);
  return file;
}
