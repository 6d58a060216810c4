/**
 * Files on the local Telegram: what users sent and what the bot uploaded, each under a file_id (reusable in
 * send* calls) and a file_path served from `/file/bot<token>/<file_path>`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { imageSize } from './image-size.ts';

export interface FileMeta {
  name?: string;
  mimeType?: string;
}

export interface StoredFile {
  fileId: string;
  uniqueId: string;
  size: number;
  /** Relative path, as getFile answers it. */
  path: string;
  name: string | undefined;
  mimeType: string | undefined;
  /** Pixel size read from a PNG or JPEG header. */
  width: number | undefined;
  height: number | undefined;
  /** Undefined for a file registered by size only; it downloads as zeros. */
  bytes: Buffer | undefined;
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp',
  '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska',
  '.zip': 'application/zip', '.pdf': 'application/pdf', '.txt': 'text/plain', '.json': 'application/json',
};

const EXTENSION_BY_MIME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MIME_BY_EXTENSION).reverse().map(([extension, mime]) => [mime, extension]),
);

/** The type Telegram reports for an upload: the part's own type if it has one, else from the file name. */
export function mimeTypeOf(name: string | undefined, declared: string | undefined): string | undefined {
  if (declared !== undefined && declared !== '' && declared !== 'application/octet-stream') return declared;
  return MIME_BY_EXTENSION[path.extname(name ?? '').toLowerCase()] ?? declared ?? undefined;
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private count = 0;

  /** `folder` is Telegram's: photos, videos, documents, animations, video_notes. */
  add(data: Buffer | number, meta: FileMeta, folder: string): StoredFile {
    const bytes = typeof data === 'number' ? undefined : data;
    const mimeType = mimeTypeOf(meta.name, meta.mimeType);
    const extension = path.extname(meta.name ?? '') || EXTENSION_BY_MIME[mimeType ?? ''] || '';
    const pixels = bytes === undefined ? undefined : imageSize(bytes);
    this.count += 1;
    return this.keep({
      fileId: newFileId(), uniqueId: randomBytes(10).toString('base64url'), size: bytes?.length ?? (data as number),
      path: `${folder}/file_${this.count}${extension.toLowerCase()}`, name: meta.name, mimeType,
      width: pixels?.width, height: pixels?.height, bytes,
    });
  }

  /** Another file_id for the same bytes, as Telegram gives each photo size its own id. */
  alias(file: StoredFile): StoredFile {
    this.count += 1;
    return this.keep({ ...file, fileId: newFileId(), uniqueId: randomBytes(10).toString('base64url'), path: `${path.dirname(file.path)}/file_${this.count}${path.extname(file.path)}` });
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  bytesOf(file: StoredFile): Buffer {
    return file.bytes ?? Buffer.alloc(file.size);
  }

  private keep(file: StoredFile): StoredFile {
    this.byId.set(file.fileId, file);
    this.byPath.set(file.path, file);
    return file;
  }
}

function newFileId(): string {
  return `AgAC${randomBytes(36).toString('base64url')}`;
}
