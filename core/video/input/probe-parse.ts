import { z } from 'zod';
import type { VideoProbe } from '../types.ts';

/** ffprobe's JSON writes some numbers as numbers and others (counts, durations, rates) as strings. */
const looseNumber = z.union([z.number(), z.string()]).optional();

const streamSchema = z.object({
  index: z.number().int().nonnegative(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  pix_fmt: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  start_time: looseNumber,
  duration: looseNumber,
  nb_frames: looseNumber,
  nb_read_packets: looseNumber,
  channels: z.number().optional(),
  sample_rate: looseNumber,
  bit_rate: looseNumber,
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
  side_data_list: z.array(z.object({ side_data_type: z.string().optional(), rotation: looseNumber })).optional(),
});

const headerSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({ format_name: z.string(), duration: looseNumber, nb_streams: z.number().int().nonnegative() }),
});

const packetPassSchema = z.object({
  streams: z.array(streamSchema).default([]),
  packets: z.array(z.object({ stream_index: z.number().int(), pts_time: looseNumber, dts_time: looseNumber, duration_time: looseNumber })).default([]),
});

export type ProbeStream = z.infer<typeof streamSchema>;
export type ProbeHeader = z.infer<typeof headerSchema>;
export type PacketPass = z.infer<typeof packetPassSchema>;

/** `undefined` when the text is not JSON or not shaped like ffprobe's output. */
export function parseProbeHeader(text: string): ProbeHeader | undefined {
  return parseJson(text, headerSchema);
}

export function parsePacketPass(text: string): PacketPass | undefined {
  return parseJson(text, packetPassSchema);
}

function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A finite number from ffprobe's `123`, `"123"` or `"4.5"`; `null` for `N/A`, missing or junk. */
export function toNumber(value: number | string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** `30000/1001` → 29.97…; `0/0`, missing or junk → null. */
export function parseRate(text: string | undefined): number | null {
  const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (!match) return null;
  const rate = Number(match[1]) / Number(match[2]);
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}

/** Matroska's per-track `DURATION` tag, `HH:MM:SS.nnnnnnnnn`, in seconds. */
export function parseClockDuration(text: unknown): number | null {
  const match = typeof text === 'string' ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text) : null;
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** The clip's picture: the first video stream that is not cover art attached to a sound file. */
export function pickVideoStream(streams: readonly ProbeStream[]): ProbeStream | undefined {
  return streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
}

/** Any angle → the nearest of 0, 90, 180, 270. */
export function normaliseRotation(degrees: number): VideoProbe['video']['rotation'] {
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter] ?? 0;
}

/**
 * Clockwise degrees a player turns the picture. ffprobe reports the display matrix's angle counter-clockwise
 * (a phone held upright gives -90); the legacy `rotate` tag of older ffprobe builds is already clockwise.
 */
export function rotationOf(stream: ProbeStream): VideoProbe['video']['rotation'] {
  const matrix = stream.side_data_list?.find((entry) => entry.side_data_type === 'Display Matrix');
  const counterClockwise = toNumber(matrix?.rotation);
  if (counterClockwise !== null) return normaliseRotation(-counterClockwise);
  const tag = stream.tags?.rotate;
  const clockwise = typeof tag === 'string' ? toNumber(tag) : null;
  return clockwise === null ? 0 : normaliseRotation(clockwise);
}

/** Frame rates that differ by more than this share are not one constant rate. */
const FRAME_RATE_TOLERANCE = 0.01;

/** Average frames per second (the base rate when the average is unknown), and whether frame times vary. */
export function frameRateOf(stream: ProbeStream): { frameRate: number; variableFrameRate: boolean } | null {
  const average = parseRate(stream.avg_frame_rate);
  const base = parseRate(stream.r_frame_rate);
  const frameRate = average ?? base;
  if (frameRate === null) return null;
  const variableFrameRate = average !== null && base !== null && Math.abs(average - base) > FRAME_RATE_TOLERANCE * base;
  return { frameRate, variableFrameRate };
}

/** The container's duration, else the video stream's own; null when neither says (or says zero). */
export function durationOf(header: ProbeHeader, video: ProbeStream): number | null {
  const candidates = [toNumber(header.format.duration), toNumber(video.duration), parseClockDuration(video.tags?.DURATION)];
  return candidates.find((seconds): seconds is number => seconds !== null && seconds > 0) ?? null;
}

export function audioOf(streams: readonly ProbeStream[]): VideoProbe['audio'] {
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  if (!audio) return null;
  return {
    codec: audio.codec_name ?? 'unknown',
    channels: audio.channels ?? 0,
    sampleRate: toNumber(audio.sample_rate) ?? 0,
    bitRate: toNumber(audio.bit_rate),
  };
}
