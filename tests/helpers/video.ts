/** Real ffmpeg/ffprobe helpers for the clip tests: make derived clips, read streams, frames and audio back. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTool } from '../../core/video/ffmpeg/run-tool.ts';
import { resolveMediaTools } from '../../core/video/ffmpeg/tools.ts';
import { facesDir } from './faces-dir.ts';

export const mediaTools = resolveMediaTools({ ffmpegPath: undefined, ffprobePath: undefined });

/** A clip of the shared set; throws if it is not there (the tests pick clips by name). */
export function sharedClip(...segments: string[]): string {
  const file = path.join(facesDir, 'videos', ...segments);
  if (!existsSync(file)) throw new Error(`Missing shared clip ${file}: the tests choose it by name, so the set must not change.`);
  return file;
}

export async function ffmpeg(...args: string[]): Promise<void> {
  const result = await runTool(mediaTools.ffmpeg.path, { args: ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], timeoutMs: 120_000 });
  assert.equal(result.exitCode, 0, `ffmpeg ${args.join(' ')} failed: ${result.stderrTail}`);
}

async function ffprobeJson(file: string, args: string[]): Promise<unknown> {
  const result = await runTool(mediaTools.ffprobe.path, { args: ['-v', 'error', ...args, '-of', 'json', file], timeoutMs: 60_000, env: mediaTools.ffprobe.env });
  assert.equal(result.exitCode, 0, `ffprobe failed on ${file}: ${result.stderrTail}`);
  return JSON.parse(result.stdout.toString('utf8'));
}

export interface StreamFacts {
  codecType: string;
  codecName: string;
  width?: number;
  height?: number;
  packets: number;
  duration: number;
  rotation: number;
}

/** Every stream with its packet count (demuxed, not decoded), duration and display rotation. */
export async function streamFacts(file: string): Promise<StreamFacts[]> {
  const json = await ffprobeJson(file, ['-count_packets', '-show_streams']) as { streams: Record<string, unknown>[] };
  return json.streams.map((stream) => {
    const sideData = (stream.side_data_list as { rotation?: number }[] | undefined) ?? [];
    const tags = (stream.tags as { rotate?: string } | undefined) ?? {};
    return {
      codecType: String(stream.codec_type),
      codecName: String(stream.codec_name),
      ...(typeof stream.width === 'number' ? { width: stream.width } : {}),
      ...(typeof stream.height === 'number' ? { height: stream.height } : {}),
      packets: Number(stream.nb_read_packets),
      duration: Number(stream.duration),
      rotation: Number(sideData.find((entry) => entry.rotation !== undefined)?.rotation ?? tags.rotate ?? 0),
    };
  });
}

/** Presentation times of every video packet, sorted (the frame timing a player sees). */
export async function videoFrameTimes(file: string): Promise<number[]> {
  const json = await ffprobeJson(file, ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time']) as { packets: { pts_time: string }[] };
  return json.packets.map((packet) => Number(packet.pts_time)).sort((a, b) => a - b);
}

/** MD5 of the first audio stream's decoded samples: equal when the audio was copied untouched. */
export async function decodedAudioMd5(file: string): Promise<string> {
  const result = await runTool(mediaTools.ffmpeg.path, { args: ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-f', 'md5', '-'], timeoutMs: 60_000 });
  assert.equal(result.exitCode, 0, result.stderrTail);
  return result.stdout.toString('utf8').trim();
}

/** A clip played `times` over (stream copy): a long clip for work that must still be running when a test acts. */
export async function loopedClip(source: string, times: number, target: string): Promise<string> {
  await ffmpeg('-stream_loop', String(times - 1), '-i', source, '-c', 'copy', target);
  return target;
}

/** The first audio stream decoded to mono 16-bit samples at `rate` per second. */
export async function decodedAudio(file: string, rate: number): Promise<Int16Array> {
  const result = await runTool(mediaTools.ffmpeg.path, { args: ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(rate), '-f', 's16le', '-'], timeoutMs: 60_000 });
  assert.equal(result.exitCode, 0, result.stderrTail);
  return new Int16Array(result.stdout.buffer, result.stdout.byteOffset, Math.floor(result.stdout.length / 2));
}

/** One decoded frame at `seconds`, as packed RGB. */
export async function frameAt(file: string, seconds: number, width: number, height: number): Promise<Uint8Array> {
  const result = await runTool(mediaTools.ffmpeg.path, { args: ['-hide_banner', '-nostdin', '-v', 'error', '-ss', seconds.toFixed(3), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], timeoutMs: 60_000 });
  assert.equal(result.exitCode, 0, result.stderrTail);
  assert.equal(result.stdout.length, width * height * 3, 'frame size');
  return new Uint8Array(result.stdout);
}

/**
 * A copy of an MP4 whose video track carries the display matrix a phone writes when held upright
 * (0 1 0 / -1 0 0 / h 0 1): players turn the picture 90° clockwise to show it.
 */
export function withPhoneRotation(file: string, target: string): void {
  const bytes = readFileSync(file);
  for (let at = bytes.indexOf('tkhd'); at >= 0; at = bytes.indexOf('tkhd', at + 4)) {
    const handler = bytes.indexOf('hdlr', at);
    if (bytes.toString('latin1', handler + 12, handler + 16) !== 'vide') continue;
    const matrixAt = at + (bytes[at + 4] === 1 ? 56 : 44);
    const height = bytes.readUInt32BE(matrixAt + 40) >>> 16;
    [0, 0x10000, 0, -0x10000, 0, 0, height * 0x10000, 0, 0x40000000].forEach((value, index) => bytes.writeInt32BE(value, matrixAt + index * 4));
    writeFileSync(target, bytes);
    return;
  }
  throw new Error(`no video track header in ${file}`);
}
