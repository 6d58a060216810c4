import { IdolensError } from '../../errors.ts';
import { demuxerFor, hardenedInputArgs, type StagedVideo } from './input.ts';
import { formatDurationRounded } from '../../format.ts';
import { assertDuration, assertFrameSize, assertStreamCount } from './probe-limits.ts';
import {
  audioOf, durationOf, frameRateOf, parseClockDuration, parsePacketPass, parseProbeHeader, pickVideoStream, rotationOf, toNumber,
  type PacketPass, type ProbeHeader, type ProbeStream,
} from './probe-parse.ts';
import { runTool, stderrExcerpt } from '../ffmpeg/run-tool.ts';
import type { ToolBinary } from '../ffmpeg/tools.ts';
import type { VideoLimits, VideoProbe } from '../types.ts';

/**
 * Below this share of the frames the container announces (or of its announced duration) a clip is cut short.
 * Intact clips read 99–100 % (an AVI may miss one frame in 126); a file cut at 90 % reads 84–88 %.
 */
const COMPLETE_SHARE = 0.95;

/**
 * Reads what a clip is without decoding a frame, and refuses it (with the numbers) when it is damaged, not a
 * video, or over the limits. Two ffprobe runs: the headers first, so an oversized clip is refused at once; then
 * every packet of the picture demuxed (not decoded), so a file that stops early is caught here and not mid-render.
 */
export async function probeVideo(ffprobe: ToolBinary, input: StagedVideo, limits: VideoLimits): Promise<VideoProbe> {
  const header = await readHeader(ffprobe, input, limits);
  const probe = describeClip(header, input, limits);
  const video = pickVideoStream(header.streams);
  if (video) await assertComplete(ffprobe, input, limits, video);
  return probe;
}

async function runProbe(ffprobe: ToolBinary, input: StagedVideo, limits: VideoLimits, query: string[]): Promise<string> {
  const result = await runTool(ffprobe.path, {
    env: ffprobe.env,
    args: ['-hide_banner', '-v', 'error', ...hardenedInputArgs(input.container, input.path), ...query],
    timeoutMs: limits.timeoutSeconds * 1000,
  });
  if (result.exitCode !== 0) throw corrupt('ffprobe cannot read it', { exitCode: result.exitCode, stderr: stderrExcerpt(result.stderrTail, 1, 200) });
  return result.stdout.toString('utf8');
}

async function readHeader(ffprobe: ToolBinary, input: StagedVideo, limits: VideoLimits): Promise<ProbeHeader> {
  const header = parseProbeHeader(await runProbe(ffprobe, input, limits, ['-show_format', '-show_streams', '-of', 'json']));
  if (!header) throw corrupt('ffprobe could not describe it');
  return header;
}

function describeClip(header: ProbeHeader, input: StagedVideo, limits: VideoLimits): VideoProbe {
  const formatName = header.format.format_name;
  if (!formatName.split(',').includes(demuxerFor(input.container))) {
    throw new IdolensError('unsupported_video', undefined, { container: input.container, formatName });
  }
  if (header.streams.length === 0) throw corrupt('there are no streams in it');
  const video = pickVideoStream(header.streams);
  if (!video) throw noVideo(header.streams);
  assertStreamCount(Math.max(header.streams.length, header.format.nb_streams), limits);
  const durationSeconds = durationOf(header, video);
  if (durationSeconds === null) throw corrupt('it does not say how long it is');
  assertDuration(durationSeconds, limits);
  const { width, height } = frameSize(video);
  assertFrameSize(width, height, limits);
  const rate = frameRateOf(video);
  if (!rate) throw corrupt('it does not say its frame rate');
  const rotation = rotationOf(video);
  const quarterTurn = rotation === 90 || rotation === 270;
  return {
    container: input.container,
    formatName,
    bytes: input.bytes,
    durationSeconds,
    streams: header.streams.length,
    video: {
      streamIndex: video.index,
      codec: video.codec_name ?? 'unknown',
      width,
      height,
      displayWidth: quarterTurn ? height : width,
      displayHeight: quarterTurn ? width : height,
      rotation,
      frameRate: rate.frameRate,
      variableFrameRate: rate.variableFrameRate,
      frames: positiveOrNull(toNumber(video.nb_frames)),
      pixelFormat: video.pix_fmt ?? null,
    },
    audio: audioOf(header.streams),
  };
}

function frameSize(video: ProbeStream): { width: number; height: number } {
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) throw corrupt('its picture has no size');
  return { width, height };
}

function noVideo(streams: readonly ProbeStream[]): IdolensError {
  const kinds = streams.map((stream) => (stream.codec_type === 'video' ? 'cover picture' : stream.codec_type ?? 'unknown'));
  return new IdolensError('no_video_stream', `This file has no picture in it, only ${[...new Set(kinds)].join(' and ')} tracks.`, {
    streams: streams.length,
  });
}

/**
 * Demuxes every packet (no decoding) and compares the picture's with what the container announces. All streams
 * are read, as the render reads them: a cut file whose sound runs out first stops the picture there too.
 */
async function assertComplete(ffprobe: ToolBinary, input: StagedVideo, limits: VideoLimits, video: ProbeStream): Promise<void> {
  const announcesFrames = positiveOrNull(toNumber(video.nb_frames)) !== null;
  const packets = announcesFrames ? '' : ':packet=stream_index,pts_time,dts_time,duration_time';
  const query = ['-count_packets', '-show_entries', `stream=index,nb_read_packets${packets}`, '-of', 'json=compact=1'];
  const pass = parsePacketPass(await runProbe(ffprobe, input, limits, query));
  if (!pass) throw corrupt('ffprobe could not count its frames');
  const shortfall = incompleteReason(video, pass);
  if (shortfall !== undefined) throw corrupt(shortfall);
}

/** Why the picture's packets fall short of what the container announced, or undefined when they do not. */
export function incompleteReason(video: ProbeStream, pass: PacketPass): string | undefined {
  const counted = pass.streams.find((stream) => stream.index === video.index);
  // ffprobe leaves the count out (N/A) when it read no packet at all.
  const read = toNumber(counted?.nb_read_packets) ?? 0;
  if (read === 0) return 'not one frame of its picture can be read';
  const announced = positiveOrNull(toNumber(video.nb_frames));
  if (announced !== null) {
    return read < COMPLETE_SHARE * announced ? `only ${read} of its ${announced} frames are in the file` : undefined;
  }
  const span = announcedSpan(video);
  const readEnd = lastPacketEnd(pass, video.index);
  if (span === null || readEnd === null) return undefined;
  const covered = readEnd - span.start;
  const expected = span.end - span.start;
  return covered < COMPLETE_SHARE * expected ? `its picture stops at ${formatDurationRounded(covered)} of ${formatDurationRounded(expected)}` : undefined;
}

/** Where the picture announces it starts and ends: its own duration, or Matroska's per-track DURATION tag. */
function announcedSpan(video: ProbeStream): { start: number; end: number } | null {
  const start = toNumber(video.start_time) ?? 0;
  const duration = toNumber(video.duration);
  if (duration !== null && duration > 0) return { start, end: start + duration };
  const tagged = parseClockDuration(video.tags?.DURATION);
  return tagged !== null && tagged > start ? { start, end: tagged } : null;
}

function lastPacketEnd(pass: PacketPass, streamIndex: number): number | null {
  let end: number | null = null;
  for (const packet of pass.packets) {
    if (packet.stream_index !== streamIndex) continue;
    const time = toNumber(packet.pts_time) ?? toNumber(packet.dts_time);
    if (time === null) continue;
    const packetEnd = time + (toNumber(packet.duration_time) ?? 0);
    if (end === null || packetEnd > end) end = packetEnd;
  }
  return end;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}

function corrupt(reason: string, details: Record<string, string | number> = {}): IdolensError {
  return new IdolensError('corrupt_video', `This video is damaged or incomplete (${reason}), so I cannot read it.`, { reason, ...details });
}
