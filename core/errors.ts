/**
 * Domain errors: every failure a user can cause has a stable code and a sentence a fan understands.
 * Adapters (CLI, bots) show `message`; tools and tests match on `code`.
 */
/** Every code: the sentence a user reads, and whether another try of the same work could succeed (a network blip, our own bug). */
export const ERRORS = {
  empty_file: { message: 'This file is empty.', retry: false },
  unsupported_format: { message: 'This file is not a photo I can read (JPEG, PNG, WebP, AVIF, TIFF, BMP or GIF).', retry: false },
  corrupt_image: { message: 'This photo is damaged or incomplete, so I cannot read it.', retry: false },
  too_large: { message: 'This file is too large.', retry: false },
  too_many_pixels: { message: 'This picture has too many pixels for me to open safely.', retry: false },
  too_small: { message: 'This picture is too small to find a face in.', retry: false },
  no_face: { message: 'I could not find a face in this photo.', retry: false },
  face_too_small: { message: 'The face in this photo is too small to recognise; use a closer photo.', retry: false },
  face_blurry: { message: 'The face in this photo is too blurry to learn from.', retry: false },
  several_faces: { message: 'This photo has several faces and I cannot tell which one is the member; crop it or use a solo photo.', retry: false },
  duplicate: { message: 'This photo is already enrolled (or nearly the same as one that is).', retry: false },
  not_found: { message: 'I could not find that file.', retry: false },
  download_failed: { message: 'I could not download this file.', retry: true },
  url_not_allowed: { message: 'I cannot download from that address.', retry: false },
  invalid_archive: { message: 'This zip file is damaged or not laid out one folder per member.', retry: false },
  invalid_name: { message: 'That name is not allowed: use 1 to 40 letters, digits, spaces, dots, dashes or underscores.', retry: false },
  group_exists: { message: 'A group with that name already exists.', retry: false },
  group_not_found: { message: 'There is no group with that name on this server.', retry: false },
  member_not_found: { message: 'That group has no member with that name.', retry: false },
  member_typo: { message: 'That name is very close to a member\'s: did you mean them?', retry: false },
  sample_not_found: { message: 'That member has no photo with that number.', retry: false },
  not_enough_members: { message: 'A group needs at least two members with photos before I can tell them apart.', retry: false },
  not_enough_samples: { message: 'Every member needs at least one accepted photo before training.', retry: false },
  invalid_setting: { message: 'That setting value is not allowed.', retry: false },
  unsupported_video: { message: 'This file is not a video I can read (MP4, MOV, MKV, WebM, AVI, MPEG-TS or GIF).', retry: false },
  corrupt_video: { message: 'This video is damaged or incomplete, so I cannot read it.', retry: false },
  no_video_stream: { message: 'This file has no picture in it, only sound or data.', retry: false },
  video_too_long: { message: 'This clip is too long for me.', retry: false },
  video_too_large: { message: 'This clip is too large for me.', retry: false },
  too_many_streams: { message: 'This file has too many tracks in it for me to open safely.', retry: false },
  video_timeout: { message: 'This clip took too long to process.', retry: false },
  output_too_large: { message: 'I could not make the labelled clip small enough to send here.', retry: false },
  busy: { message: 'I am busy with this server\'s other requests; try again in a few minutes.', retry: false },
  quota_exceeded: { message: 'This server has used up its clip time for today.', retry: false },
  cancelled: { message: 'Cancelled: nothing was written.', retry: false },
  no_worker: { message: 'No job worker took the job in time; start one with `npm run worker`.', retry: false },
  shutting_down: { message: 'I am restarting and could not finish this; please send it again.', retry: false },
  admin_only: { message: 'Only admins can do that (on Discord: Manage Server; on Telegram: the chat\'s administrators).', retry: false },
  server_only: { message: 'This works in a server, where groups live; in direct messages only /help works.', retry: false },
  group_required: { message: 'This server has several groups: say which one.', retry: false },
  no_media: { message: 'I found no photo or video to work on there.', retry: false },
  invalid_option: { message: 'One of the options is missing or not allowed.', retry: false },
  search_unavailable: { message: 'That image search is not set up here.', retry: false },
  search_rate_limited: { message: 'The image search is busy; try again in a minute.', retry: false },
  search_failed: { message: 'The image search did not answer properly; try again later.', retry: false },
  search_empty: { message: 'The image search found no pictures for that.', retry: false },
  not_the_member: { message: 'This photo shows someone else.', retry: false },
  not_on_screen: { message: 'That member is never on screen in this clip.', retry: false },
  no_consensus: { message: 'The search results do not agree on one face, so I cannot tell which person is the member.', retry: false },
  pending_not_found: { message: 'There is no pending set of photos with that id (it may have expired or been decided already).', retry: false },
  answer_expired: { message: 'That answer is too old to correct (answers can be corrected for a day): identify the picture again, then correct the new answer.', retry: false },
  face_not_found: { message: 'That answer has no face with that number.', retry: false },
  correction_limit: { message: 'You have suggested as many corrections as one person may in an hour here; thank you! Try again later.', retry: false },
  picture_gone: { message: 'I could not fetch that picture again from the chat (it may have been deleted or expired), so I cannot learn from this correction.', retry: false },
  suggestions_full: { message: 'Too many suggestions are waiting for review here: an admin has to decide on them first.', retry: false },
  suggestion_not_found: { message: 'There is no pending suggestion with that number.', retry: false },
  own_suggestion: { message: 'You suggested that correction yourself: another admin has to decide on it.', retry: false },
  pack_invalid: { message: 'This file is not an idolens group pack I can read, or it is damaged; nothing was imported.', retry: false },
  pack_too_large: { message: 'This pack is larger than I open safely; nothing was imported.', retry: false },
  pack_mismatch: { message: 'This pack\'s face descriptors do not match its face pictures, so I do not trust it; nothing was imported.', retry: false },
  pack_empty: { message: 'This group has no photos that can go in a pack (none kept its face crop).', retry: false },
  internal: { message: 'Something went wrong on my side.', retry: true },
} as const satisfies Record<string, { message: string; retry: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export class IdolensError extends Error {
  override readonly name = 'IdolensError';
  readonly code: ErrorCode;
  /** Extra specifics for logs and JSON output (never secrets). */
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, string | number> = {}, options?: ErrorOptions) {
    super(message ?? ERRORS[code].message, options);
    this.code = code;
    this.details = details;
  }
}

export function isIdolensError(error: unknown): error is IdolensError {
  return error instanceof IdolensError;
}

/** What a user (or a tool) is told about a failure: its code and sentence. */
export interface ErrorNotice {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** Our own errors say their code and sentence; anything else is `internal` (never a stack or a library's message). */
export function toNotice(error: unknown): ErrorNotice {
  if (isIdolensError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERRORS.internal.message };
}

/** A notice that came back over a queue or a file: an unknown code, or an empty sentence, reads as the table says. */
export function noticeOf(code: string, message: string): ErrorNotice {
  if (!isErrorCode(code)) return { code: 'internal', message: ERRORS.internal.message };
  return { code, message: message.trim() === '' ? ERRORS[code].message : message };
}

/** Worth another try of the same work: the table's word for our codes; an error we did not make may pass too. */
export function isWorthRetrying(error: unknown): boolean {
  return !isIdolensError(error) || ERRORS[error.code].retry;
}
