import { IdolensError } from '../../errors.ts';
import { formatSize } from '../../format.ts';
import type { VideoProbe } from '../types.ts';

export type AudioPlan = { mode: 'none' } | { mode: 'copy' } | { mode: 'aac'; bitsPerSecond: number };

export interface EncodePlan {
  width: number;
  height: number;
  /** Constant quality; with a budget, capped by a maximum rate (VBV) so the file cannot outgrow it. */
  crf: number;
  maxBitsPerSecond: number | undefined;
  audio: AudioPlan;
  /** What was changed to fit, in words for the user. */
  notes: string[];
}

/** x264's default quality, as the plain re-encode we compare against. */
const CRF = 23;
/** Codecs an MP4 carries that Discord and Telegram play inline: copied untouched. */
const COPYABLE_AUDIO = new Set(['aac', 'mp3']);
const REENCODED_AUDIO_BPS = 160_000;
/** Room kept for the container and the rate control's tolerance. */
const BUDGET_SHARE = 0.9;
const MIN_VIDEO_BPS = 60_000;
/** Bits per pixel per frame below which x264 veryfast looks bad: downscale instead. */
const MIN_BITS_PER_PIXEL = 0.05;
const HEIGHT_LADDER = [1080, 720, 540, 480, 360, 240];

/** The nearest even size (4:2:0 video needs even sides), at least 2. */
export const even = (value: number): number => Math.max(2, Math.round(value / 2) * 2);

function audioPlan(probe: VideoProbe, totalBits: number | undefined): { plan: AudioPlan; bits: number; note?: string } {
  const audio = probe.audio;
  if (!audio) return { plan: { mode: 'none' }, bits: 0 };
  const copyRate = audio.bitRate ?? 128_000;
  const copyable = COPYABLE_AUDIO.has(audio.codec);
  if (totalBits === undefined) {
    return copyable ? { plan: { mode: 'copy' }, bits: 0 } : { plan: { mode: 'aac', bitsPerSecond: REENCODED_AUDIO_BPS }, bits: 0, note: `audio re-encoded to AAC (${audio.codec} does not play in MP4 everywhere)` };
  }
  if (copyable && copyRate * probe.durationSeconds <= 0.2 * totalBits) return { plan: { mode: 'copy' }, bits: copyRate * probe.durationSeconds };
  const rate = Math.round(Math.min(copyable ? copyRate : REENCODED_AUDIO_BPS, Math.max(32_000, (0.15 * totalBits) / probe.durationSeconds)));
  const why = copyable ? 'to fit the size limit' : `(${audio.codec} does not play in MP4 everywhere)`;
  return { plan: { mode: 'aac', bitsPerSecond: rate }, bits: rate * probe.durationSeconds, note: `audio re-encoded to AAC at ${Math.round(rate / 1000)} kbit/s ${why}` };
}

/** The source's size with its shorter side at most `maxShortSide` (aspect ratio kept, never upscaled). */
function cappedSize(probe: VideoProbe, maxShortSide: number | undefined): { width: number; height: number } {
  const { displayWidth: width, displayHeight: height } = probe.video;
  const factor = maxShortSide === undefined ? 1 : Math.min(1, maxShortSide / Math.min(width, height));
  return { width: even(width * factor), height: even(height * factor) };
}

/** The largest size (keeping the aspect ratio, at most `start`) whose pixel rate the bitrate can carry. */
function fittedSize(probe: VideoProbe, start: { width: number; height: number }, bitsPerSecond: number): { width: number; height: number } {
  const { frameRate } = probe.video;
  const { width, height } = start;
  const short = Math.min(width, height);
  const candidates = [short, ...HEIGHT_LADDER.filter((side) => side < short)];
  for (const side of candidates) {
    const factor = side / short;
    if (bitsPerSecond / (width * factor * height * factor * Math.max(frameRate, 1)) >= MIN_BITS_PER_PIXEL) return { width: even(width * factor), height: even(height * factor) };
  }
  const factor = (candidates.at(-1) ?? short) / short;
  return { width: even(width * factor), height: even(height * factor) };
}

/**
 * How to encode the labelled clip: the source's size and constant quality without a budget; with one, a
 * maximum video rate from the duration (and the audio it must carry), downscaled when that rate is too thin.
 */
export function planEncode(probe: VideoProbe, maxBytes: number | undefined, maxShortSide?: number): EncodePlan {
  const sourceSize = cappedSize(probe, maxShortSide);
  const totalBits = maxBytes === undefined ? undefined : maxBytes * 8 * BUDGET_SHARE;
  const audio = audioPlan(probe, totalBits);
  const notes = audio.note ? [audio.note] : [];
  if (sourceSize.height < even(probe.video.displayHeight)) notes.push(`downscaled to ${sourceSize.width}×${sourceSize.height} (this server's output size)`);
  if (totalBits === undefined) return { ...sourceSize, crf: CRF, maxBitsPerSecond: undefined, audio: audio.plan, notes };
  // The VBV buffer (one second at the maximum rate) may sit on top of rate × duration.
  const videoRate = Math.floor((totalBits - audio.bits) / (probe.durationSeconds + 1));
  if (videoRate < MIN_VIDEO_BPS) {
    const needed = Math.ceil(((MIN_VIDEO_BPS * (probe.durationSeconds + 1) + audio.bits) / 8 / BUDGET_SHARE));
    throw new IdolensError('output_too_large', `This clip is too long to fit in ${formatSize(maxBytes ?? 0)} with labels; it needs at least ${formatSize(needed)}.`, { maxBytes: maxBytes ?? 0, needed });
  }
  const size = fittedSize(probe, sourceSize, videoRate);
  if (size.height < sourceSize.height) notes.push(`downscaled to ${size.width}×${size.height} to fit ${formatSize(maxBytes ?? 0)}`);
  return { ...size, crf: CRF, maxBitsPerSecond: videoRate, audio: audio.plan, notes };
}
