import { open } from 'node:fs/promises';
import { IdolensError } from '../errors.ts';
import { ZIP_MAGIC } from '../intake/local-file.ts';
import { readFromStart } from '../media/read-file.ts';
import { asciiAt, sniffImageFormat, startsWith } from '../media/sniff.ts';
import { describeNonVideo, sniffVideoContainer, VIDEO_SNIFF_BYTES } from '../video/input/sniff.ts';
import type { MediaKind } from './types.ts';

/** Enough first bytes for every signature we check. */
export const HEAD_BYTES = VIDEO_SNIFF_BYTES;

/**
 * Refuses bytes that are not the kind asked for, judged from their first bytes alone (the name and the
 * sender's MIME type are never trusted): empty, or another format.
 */
export function assertMediaKind(head: Uint8Array, kind: MediaKind): void {
  if (head.length === 0) throw new IdolensError('empty_file');
  if (kind === 'image' && sniffImageFormat(head) === null) {
    throw new IdolensError('unsupported_format', webPageInstead(head, 'photo'));
  }
  if (kind === 'video' && sniffVideoContainer(head) === null) {
    throw new IdolensError('unsupported_video', describeNonVideo(head));
  }
  if (kind === 'archive' && !startsWith(head, ZIP_MAGIC)) {
    throw new IdolensError('invalid_archive', webPageInstead(head, 'zip file') ?? 'This is not a zip file.');
  }
}

/** The first HEAD_BYTES of a file (fewer when it is shorter). */
export async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    return await readFromStart(handle, HEAD_BYTES);
  } finally {
    await handle.close();
  }
}

/** A link to a page instead of the file itself is the commonest mistake, so it gets its own sentence. */
function webPageInstead(head: Uint8Array, wanted: string): string | undefined {
  const start = asciiAt(head, 0, Math.min(head.length, 512)).replace(/^\u00EF\u00BB\u00BF/, '').trimStart();
  if (!/^<(!doctype html|html|head|body)[\s>]/i.test(start)) return undefined;
  return `This is a web page, not a ${wanted}: the link probably pointed at a page rather than the file itself.`;
}
