/**
 * Domain errors: every failure a user can cause has a stable code and a sentence a fan understands.
 * Adapters (CLI, bots) show `message`; tools and tests match on `code`.
 */
export const ERROR_MESSAGES = {
  empty_file: 'This file is empty.',
  unsupported_format: 'This file is not a photo I can read (JPEG, PNG, WebP, AVIF, TIFF, BMP or GIF).',
  corrupt_image: 'This photo is damaged or incomplete, so I cannot read it.',
  too_large: 'This file is too large.',
  too_many_pixels: 'This picture has too many pixels for me to open safely.',
  too_small: 'This picture is too small to find a face in.',
  no_face: 'I could not find a face in this photo.',
  face_too_small: 'The face in this photo is too small to recognise; use a closer photo.',
  face_blurry: 'The face in this photo is too blurry to learn from.',
  several_faces: 'This photo has several faces and I cannot tell which one is the member; crop it or use a solo photo.',
  duplicate: 'This photo is already enrolled (or nearly the same as one that is).',
  not_found: 'I could not find that file.',
  download_failed: 'I could not download this file.',
  url_not_allowed: 'I cannot download from that address.',
  invalid_archive: 'This zip file is damaged or not laid out one folder per member.',
  invalid_name: 'That name is not allowed: use 1 to 40 letters, digits, spaces, dots, dashes or underscores.',
  group_exists: 'A group with that name already exists.',
  group_not_found: 'There is no group with that name on this server.',
  member_not_found: 'That group has no member with that name.',
  sample_not_found: 'That member has no photo with that number.',
  not_enough_members: 'A group needs at least two members with photos before I can tell them apart.',
  not_enough_samples: 'Every member needs at least one accepted photo before training.',
  invalid_setting: 'That setting value is not allowed.',
  unsupported_video: 'This file is not a video I can read (MP4, MOV, MKV, WebM, AVI, MPEG-TS or GIF).',
  corrupt_video: 'This video is damaged or incomplete, so I cannot read it.',
  no_video_stream: 'This file has no picture in it, only sound or data.',
  video_too_long: 'This clip is too long for me.',
  video_too_large: 'This clip is too large for me.',
  too_many_streams: 'This file has too many tracks in it for me to open safely.',
  video_timeout: 'This clip took too long to process.',
  output_too_large: 'I could not make the labelled clip small enough to send here.',
  busy: 'I am busy with this server\'s other requests; try again in a few minutes.',
  quota_exceeded: 'This server has used up its clip time for today.',
  shutting_down: 'I am restarting and could not finish this; please send it again.',
  admin_only: 'Only admins can do that (on Discord: Manage Server; on Telegram: the chat\'s administrators).',
  server_only: 'This works in a server, where groups live; in direct messages only /help works.',
  group_required: 'This server has several groups: say which one.',
  no_media: 'I found no photo or video to work on there.',
  invalid_option: 'One of the options is missing or not allowed.',
  search_unavailable: 'That image search is not set up here.',
  search_rate_limited: 'The image search is busy; try again in a minute.',
  search_failed: 'The image search did not answer properly; try again later.',
  search_empty: 'The image search found no pictures for that.',
  not_the_member: 'This photo shows someone else.',
  no_consensus: 'The search results do not agree on one face, so I cannot tell which person is the member.',
  pending_not_found: 'There is no pending set of photos with that id (it may have expired or been decided already).',
  internal: 'Something went wrong on my side.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export class IdolensError extends Error {
  override readonly name = 'IdolensError';
  readonly code: ErrorCode;
  /** Extra specifics for logs and JSON output (never secrets). */
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, string | number> = {}, options?: ErrorOptions) {
    super(message ?? ERROR_MESSAGES[code], options);
    this.code = code;
    this.details = details;
  }
}

export function isIdolensError(error: unknown): error is IdolensError {
  return error instanceof IdolensError;
}

/** Errors caused by the input itself: retrying the same input can never succeed. */
export const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'empty_file', 'unsupported_format', 'corrupt_image', 'too_large', 'too_many_pixels', 'too_small',
  'no_face', 'face_too_small', 'face_blurry', 'several_faces', 'duplicate', 'not_found',
  'url_not_allowed', 'invalid_archive', 'invalid_name', 'invalid_setting',
  'unsupported_video', 'corrupt_video', 'no_video_stream', 'video_too_long', 'video_too_large', 'too_many_streams',
  'output_too_large', 'not_the_member',
]);

export function errorToJson(error: unknown): { code: ErrorCode; message: string } {
  if (isIdolensError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERROR_MESSAGES.internal };
}
