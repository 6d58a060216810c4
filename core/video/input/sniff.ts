import { asciiAt, sniffImageFormat, startsWith } from '../../media/sniff.ts';
import type { VideoContainer } from '../types.ts';

/** Enough for every signature below (MPEG-TS needs three 188-byte packets, M2TS three 192-byte ones). */
export const VIDEO_SNIFF_BYTES = 4096;

const MATROSKA_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const TS_SYNC = 0x47;
/** Atoms an old QuickTime file (no `ftyp`) may start with. */
const QUICKTIME_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Which container a clip is, from its first bytes alone (the name and the sender's MIME type are never trusted). */
export function sniffVideoContainer(head: Uint8Array): VideoContainer | null {
  if (isIsoMedia(head)) return 'mp4';
  if (startsWith(head, MATROSKA_MAGIC)) return 'matroska';
  if (asciiAt(head, 0, 4) === 'RIFF' && asciiAt(head, 8, 4) === 'AVI ') return 'avi';
  if (isTransportStream(head, 0, 188) || isTransportStream(head, 4, 192)) return 'mpegts';
  if (asciiAt(head, 0, 6) === 'GIF87a' || asciiAt(head, 0, 6) === 'GIF89a') return 'gif';
  return null;
}

function isIsoMedia(head: Uint8Array): boolean {
  const type = asciiAt(head, 4, 4);
  // AVIF and HEIC pictures share the ISO container: the image sniff reads their brands.
  if (type === 'ftyp') return sniffImageFormat(head) === null;
  return QUICKTIME_FIRST_ATOMS.has(type);
}

/** Three sync bytes one packet apart: plain TS (188-byte packets) or M2TS/AVCHD (a 4-byte timestamp first). */
function isTransportStream(head: Uint8Array, first: number, packet: number): boolean {
  return [0, 1, 2].every((index) => head[first + index * packet] === TS_SYNC);
}

/**
 * A specific reason for files people send instead of a clip, when we recognise them; `undefined` otherwise
 * (the caller then gives the general "not a video I can read").
 */
export function describeNonVideo(head: Uint8Array): string | undefined {
  return describeBinary(head) ?? describeText(head);
}

function describeBinary(head: Uint8Array): string | undefined {
  if (sniffImageFormat(head) !== null) return 'This is a photo, not a video: use identify for photos.';
  if (isAudio(head)) return 'This is a sound file with no picture in it; send the video itself.';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'This is a zip archive, not a video; send the clip itself.';
  if (asciiAt(head, 0, 5) === '%PDF-') return 'This is a PDF document, not a video.';
  if (asciiAt(head, 0, 4) === 'OggS') return 'This is an Ogg file; I only read MP4, MOV, MKV, WebM, AVI, MPEG-TS and GIF clips.';
  return undefined;
}

function isAudio(head: Uint8Array): boolean {
  if (asciiAt(head, 0, 4) === 'RIFF' && asciiAt(head, 8, 4) === 'WAVE') return true;
  if (asciiAt(head, 0, 4) === 'fLaC' || asciiAt(head, 0, 3) === 'ID3') return true;
  // An MPEG audio frame (MP3, ADTS AAC) starts with 11 sync bits.
  return head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0;
}

function describeText(head: Uint8Array): string | undefined {
  const text = leadingText(head);
  if (text === undefined) return undefined;
  const start = text.trimStart();
  if (start.startsWith('#EXTM3U')) {
    return 'This is an HLS playlist (a list of links to other files), not a video; send the video file itself.';
  }
  if (start.startsWith('ffconcat version')) return 'This is an ffmpeg concat list naming other files, not a video; send the video file itself.';
  if (/^v=0\r?\n/.test(start) && /^[osc]=/m.test(start)) return 'This is an SDP stream description (network stream settings), not a video.';
  if (/<MPD[\s>]/.test(start)) return 'This is a DASH manifest (a list of links to other files), not a video; send the video file itself.';
  if (/^<(!doctype html|html)/i.test(start)) return 'This is a web page, not a video: the link probably pointed at a page rather than the clip.';
  return 'This is a text file, not a video.';
}

/** The head as text when it reads as UTF-8 text: a BOM allowed, no control bytes but tab, LF and CR. */
function leadingText(head: Uint8Array): string | undefined {
  if (head.length === 0 || head.some(isControlByte)) return undefined;
  // The head may end inside a multi-byte character: allow up to three bytes of it to be cut off.
  for (let cut = 0; cut <= 3 && cut < head.length; cut += 1) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
    } catch {
      continue;
    }
  }
  return undefined;
}

function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f;
}
