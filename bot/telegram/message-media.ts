/** The picture, clip or zip a Telegram message carries, as a command attachment (by file id, never by URL). */
import type { Message } from 'telegraf/types';
import type { Attachment } from '../../commands/index.ts';
import { IdolensError } from '../../core/errors.ts';
import { formatSize } from '../../core/format.ts';

export type WantedMedia = 'image' | 'video' | 'archive';

const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);

function attachment(fileId: string, name: string, size: number | undefined, contentType: string | undefined): Attachment {
  return { platformFile: { platform: 'telegram', fileId }, name, size: size ?? 0, contentType };
}

function imageOf(message: Message): Attachment | undefined {
  if ('photo' in message) {
    const largest = message.photo.at(-1);
    return largest && attachment(largest.file_id, `photo-${message.message_id}.jpg`, largest.file_size, 'image/jpeg');
  }
  if ('document' in message && message.document.mime_type?.startsWith('image/') === true) {
    const { document } = message;
    return attachment(document.file_id, document.file_name ?? `image-${message.message_id}`, document.file_size, document.mime_type);
  }
  return undefined;
}

function videoOf(message: Message): Attachment | undefined {
  if ('video' in message) {
    const { video } = message;
    return attachment(video.file_id, video.file_name ?? `clip-${message.message_id}.mp4`, video.file_size, video.mime_type ?? 'video/mp4');
  }
  if ('video_note' in message) return attachment(message.video_note.file_id, `video-note-${message.message_id}.mp4`, message.video_note.file_size, 'video/mp4');
  if ('animation' in message) {
    const { animation } = message;
    return attachment(animation.file_id, animation.file_name ?? `animation-${message.message_id}.mp4`, animation.file_size, animation.mime_type ?? 'video/mp4');
  }
  if ('document' in message && message.document.mime_type?.startsWith('video/') === true) {
    const { document } = message;
    return attachment(document.file_id, document.file_name ?? `clip-${message.message_id}`, document.file_size, document.mime_type);
  }
  return undefined;
}

function archiveOf(message: Message): Attachment | undefined {
  if (!('document' in message)) return undefined;
  const { document } = message;
  const zip = ZIP_TYPES.has(document.mime_type ?? '') || /\.zip$/i.test(document.file_name ?? '');
  return zip ? attachment(document.file_id, document.file_name ?? `photos-${message.message_id}.zip`, document.file_size, 'application/zip') : undefined;
}

export function mediaOf(message: Message, wanted: WantedMedia): Attachment | undefined {
  if (wanted === 'image') return imageOf(message);
  if (wanted === 'video') return videoOf(message);
  return archiveOf(message);
}

/** What kind of media a message carries, if any (for messages sent without a command). */
export function mediaKindOf(message: Message): WantedMedia | undefined {
  if (imageOf(message)) return 'image';
  if (videoOf(message)) return 'video';
  if (archiveOf(message)) return 'archive';
  return undefined;
}

/** Bots may download only so much (20 MB on the public Bot API): refused before anything is fetched. */
export function checkDownloadable(file: Attachment, limitBytes: number): void {
  if (file.size <= limitBytes) return;
  throw new IdolensError('too_large', `This file is ${formatSize(file.size)}; Telegram lets bots download files up to ${formatSize(limitBytes)}. Send a smaller or shorter one.`, { bytes: file.size, maxBytes: limitBytes });
}
