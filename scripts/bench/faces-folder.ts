import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FACES_ROOT = path.resolve(REPO_ROOT, '..', 'shared', 'faces');

const IMAGE_NAME = /\.(jpe?g|png|webp|avif|tiff?|bmp|gif)$/i;

/** One labelled person of a set, with the photos that show them as the main face. */
export interface Identity {
  name: string;
  photos: string[];
}

export function requireFacesRoot(): string {
  if (!existsSync(FACES_ROOT)) {
    throw new Error(`The benchmark needs the shared face photos at ${FACES_ROOT} (see ../shared/faces/README.md); that folder is missing.`);
  }
  return FACES_ROOT;
}

/** Names that are data, not scoring material: `_multi_face`, `_near_dup`, `_suspect`, hidden files. */
function isScored(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.');
}

async function imagesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isScored(entry.name) && IMAGE_NAME.test(entry.name))
    .map((entry) => path.join(folder, entry.name))
    .sort();
}

/** The identity folders of a set, sorted by name; folders starting with `_` are left out. */
export async function listIdentities(set: string): Promise<Identity[]> {
  const setFolder = path.join(FACES_ROOT, set);
  if (!existsSync(setFolder)) throw new Error(`The face set ${set} is missing from ${FACES_ROOT}.`);
  const entries = await readdir(setFolder, { withFileTypes: true });
  const folders = entries.filter((entry) => entry.isDirectory() && isScored(entry.name)).map((entry) => entry.name).sort();
  const identities = await Promise.all(folders.map(async (name) => ({ name, photos: await imagesIn(path.join(setFolder, name)) })));
  return identities.filter((identity) => identity.photos.length > 0);
}

/** Unlabelled group photos, e.g. `multiface_vladmandic/_multi_face_unlabeled`. */
export async function listFolderImages(relativeFolder: string): Promise<string[]> {
  const folder = path.join(FACES_ROOT, relativeFolder);
  if (!existsSync(folder)) throw new Error(`The folder ${relativeFolder} is missing from ${FACES_ROOT}.`);
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && IMAGE_NAME.test(entry.name)).map((entry) => path.join(folder, entry.name)).sort();
}
