/** Bot API media objects (PhotoSize[], Document, Video...) for stored files, for the bot's sends and users' messages. */
import type { Animation, Document, PhotoSize, Video, VideoNote } from 'telegraf/types';
import type { FileStore, StoredFile } from './files.ts';

/** Telegram's smaller photo sizes (longest side) below the original. */
const THUMBNAIL_SIDES = [90, 320];

export interface Clip {
  width?: number;
  height?: number;
  duration?: number;
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * A photo as Telegram lists it, smallest first and the original last; the smaller sizes get their own file_id but
 * share the original's bytes (the fake does not resize).
 */
export function photoSizes(files: FileStore, file: StoredFile, width = file.width ?? 0, height = file.height ?? 0): PhotoSize[] {
  const longest = Math.max(width, height);
  const smaller = THUMBNAIL_SIDES.filter((side) => side < longest).map((side): PhotoSize => {
    const alias = files.alias(file);
    const scale = side / longest;
    return { file_id: alias.fileId, file_unique_id: alias.uniqueId, file_size: alias.size, width: Math.round(width * scale), height: Math.round(height * scale) };
  });
  return [...smaller, { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size, width, height }];
}

export function documentOf(file: StoredFile, name = file.name, mimeType = file.mimeType): Document {
  return { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size, ...optional('file_name', name), ...optional('mime_type', mimeType) };
}

export function videoOf(file: StoredFile, clip: Clip = {}): Video {
  return {
    file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size,
    width: clip.width ?? file.width ?? 0, height: clip.height ?? file.height ?? 0, duration: clip.duration ?? 0,
    ...optional('file_name', file.name), mime_type: file.mimeType ?? 'video/mp4',
  };
}

export function animationOf(file: StoredFile, clip: Clip = {}): Animation {
  return videoOf(file, clip);
}

export function videoNoteOf(file: StoredFile, length = file.width ?? 0, duration = 0): VideoNote {
  return { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size, length, duration };
}
