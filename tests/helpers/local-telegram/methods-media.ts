/**
 * Media the bot sends (sendPhoto, sendVideo, sendDocument, sendAnimation, sendVideoNote), each either uploaded as a
 * multipart file or named by an existing file_id; and getFile, which hands out download paths within the limit.
 */
import { badRequest } from './api-error.ts';
import type { StoredFile } from './files.ts';
import { animationOf, documentOf, photoSizes, videoNoteOf, videoOf, type Clip } from './media.ts';
import { botMessage, messageCaption, recordSent } from './messages.ts';
import type { Params } from './params.ts';
import type { LocalTelegramState, MethodHandler } from './state.ts';
import type { LocalMessage } from './types.ts';

type MediaField = 'photo' | 'video' | 'document' | 'animation' | 'video_note';

const FOLDERS: Readonly<Record<MediaField, string>> = { photo: 'photos', video: 'videos', document: 'documents', animation: 'animations', video_note: 'video_notes' };

/** The file a send names: an upload in the field (or attach://name), else a file_id the fake knows. */
function mediaFile(state: LocalTelegramState, params: Params, field: MediaField): StoredFile {
  const reference = params.string(field);
  const upload = params.files.get(reference?.startsWith('attach://') === true ? reference.slice('attach://'.length) : field);
  if (upload !== undefined) return state.files.add(upload.bytes, { name: upload.name, mimeType: upload.contentType }, FOLDERS[field]);
  if (reference === undefined || reference === '') throw badRequest(`there is no ${field.replace('_', ' ')} in the request`);
  const known = state.files.get(reference);
  if (known === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
  return known;
}

function clipOf(params: Params): Clip {
  const clip: Clip = {};
  const width = params.number('width');
  const height = params.number('height');
  const duration = params.number('duration');
  if (width !== undefined) clip.width = width;
  if (height !== undefined) clip.height = height;
  if (duration !== undefined) clip.duration = duration;
  return clip;
}

function contentOf(state: LocalTelegramState, field: MediaField, file: StoredFile, params: Params): Partial<LocalMessage> {
  switch (field) {
    case 'photo': return { photo: photoSizes(state.files, file) };
    case 'video': return { video: videoOf(file, clipOf(params)) };
    case 'document': return { document: documentOf(file) };
    // For backward compatibility Telegram sets `document` beside `animation`.
    case 'animation': return { animation: animationOf(file, clipOf(params)), document: documentOf(file) };
    case 'video_note': return { video_note: videoNoteOf(file, params.number('length'), params.number('duration')) };
  }
}

function sender(field: MediaField): MethodHandler {
  return (state, { method, params }) => {
    const chat = state.conversations.chat(params.string('chat_id'));
    const caption = field === 'video_note' ? {} : messageCaption(params);
    const file = mediaFile(state, params, field);
    const message = botMessage(state, chat, params, { ...contentOf(state, field, file, params), ...caption });
    recordSent(state, method, message, file);
    return message;
  };
}

const getFile: MethodHandler = (state, { params }) => {
  const file = state.files.get(params.string('file_id') ?? '');
  if (file === undefined) throw badRequest('invalid file_id');
  if (file.size > state.downloadLimitBytes) throw badRequest('file is too big');
  return { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size, file_path: file.path };
};

export const MEDIA_METHODS: Readonly<Record<string, MethodHandler>> = {
  sendPhoto: sender('photo'),
  sendVideo: sender('video'),
  sendDocument: sender('document'),
  sendAnimation: sender('animation'),
  sendVideoNote: sender('video_note'),
  getFile,
};
