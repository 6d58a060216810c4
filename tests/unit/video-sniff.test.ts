import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDurationRounded } from '../../core/format.ts';
import { demuxerFor, hardenedInputArgs } from '../../core/video/input/input.ts';
import { incompleteReason } from '../../core/video/input/probe.ts';
import { frameRateOf, parseRate, rotationOf, type ProbeStream } from '../../core/video/input/probe-parse.ts';
import { describeNonVideo, sniffVideoContainer } from '../../core/video/input/sniff.ts';
import type { VideoContainer } from '../../core/video/types.ts';

function bytes(...parts: (string | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));
}

/** An ISO box header: 32-bit size then the four-letter type. */
function box(type: string, brand = ''): Uint8Array {
  return bytes([0, 0, 0, 0x20], type, brand, [0, 0, 2, 0], brand);
}

function packets(size: number, first: number, count: number): Uint8Array {
  const head = new Uint8Array(first + size * count);
  for (let index = 0; index < count; index += 1) head[first + index * size] = 0x47;
  return head;
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

test('MP4, MOV and 3GP are known by their ftyp box, old QuickTime files by their first atom', () => {
  for (const brand of ['isom', 'mp42', 'qt  ', '3gp4', 'M4V ']) assert.equal(sniffVideoContainer(box('ftyp', brand)), 'mp4', brand);
  for (const atom of ['moov', 'mdat', 'wide', 'free']) assert.equal(sniffVideoContainer(box(atom)), 'mp4', atom);
  assert.equal(sniffVideoContainer(box('junk')), null);
});

test('an AVIF or HEIC picture in the same ISO container is a photo, not a clip', () => {
  for (const brand of ['avif', 'heic', 'mif1']) {
    assert.equal(sniffVideoContainer(box('ftyp', brand)), null, brand);
    assert.match(describeNonVideo(box('ftyp', brand)) ?? '', /photo/, brand);
  }
});

test('Matroska/WebM, AVI and GIF are known by their signatures', () => {
  assert.equal(sniffVideoContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01, 0, 0, 0])), 'matroska');
  assert.equal(sniffVideoContainer(bytes('RIFF', [0x10, 0, 0, 0], 'AVI LIST')), 'avi');
  assert.equal(sniffVideoContainer(bytes('GIF87a', [1, 0, 1, 0])), 'gif');
  assert.equal(sniffVideoContainer(bytes('GIF89a', [1, 0, 1, 0])), 'gif');
  assert.equal(sniffVideoContainer(bytes('GIF88a', [1, 0, 1, 0])), null);
  assert.equal(sniffVideoContainer(bytes('RIFF', [0x10, 0, 0, 0], 'WAVEfmt ')), null);
});

test('MPEG-TS needs three sync bytes one packet apart (188 bytes, or 192 for M2TS)', () => {
  assert.equal(sniffVideoContainer(packets(188, 0, 3)), 'mpegts');
  assert.equal(sniffVideoContainer(packets(192, 4, 3)), 'mpegts');
  assert.equal(sniffVideoContainer(packets(188, 0, 2)), null, 'two packets are not enough');
  assert.equal(sniffVideoContainer(bytes([0x47, 0x40, 0x11])), null);
});

test('photos, sound files and archives are refused with what they are', () => {
  const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF');
  const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (const photo of [jpeg, png, bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')]) {
    assert.equal(sniffVideoContainer(photo), null);
    assert.equal(describeNonVideo(photo), 'This is a photo, not a video: use identify for photos.');
  }
  assert.match(describeNonVideo(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')) ?? '', /sound file/);
  assert.match(describeNonVideo(bytes('ID3', [4, 0, 0, 0])) ?? '', /sound file/);
  assert.match(describeNonVideo(bytes('PK', [3, 4, 20, 0])) ?? '', /zip archive/);
});

test('playlists, concat lists and stream descriptions are named as such, not just "not a video"', () => {
  const hls = '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nsegment0.ts\n#EXT-X-ENDLIST\n';
  assert.equal(sniffVideoContainer(text(hls)), null);
  assert.match(describeNonVideo(text(hls)) ?? '', /HLS playlist/);
  assert.match(describeNonVideo(text(`\ufeff\r\n${hls}`)) ?? '', /HLS playlist/, 'a BOM and a blank line first');
  assert.match(describeNonVideo(text("ffconcat version 1.0\nfile 'clip.mp4'\n")) ?? '', /concat list/);
  assert.match(describeNonVideo(text('v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\n')) ?? '', /SDP/);
  assert.match(describeNonVideo(text('<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">')) ?? '', /DASH manifest/);
  assert.match(describeNonVideo(text('<!DOCTYPE html><html><body>fancam</body></html>')) ?? '', /web page/);
  assert.equal(describeNonVideo(text('제니 직캠 링크 모음\nhttps://example.com/a\n')), 'This is a text file, not a video.');
});

test('a text head cut in the middle of a multi-byte character is still text', () => {
  const korean = text('제니'.repeat(700));
  assert.equal(describeNonVideo(korean.subarray(0, 4096)), 'This is a text file, not a video.');
});

test('unknown binary data gets no specific reason', () => {
  const noise = Uint8Array.from({ length: 512 }, (_, index) => (index * 131 + 7) % 256);
  assert.equal(sniffVideoContainer(noise), null);
  assert.equal(describeNonVideo(noise), undefined);
  assert.equal(sniffVideoContainer(new Uint8Array(0)), null);
  assert.equal(describeNonVideo(new Uint8Array(0)), undefined);
});

test('each container has one forced demuxer', () => {
  const expected: Record<VideoContainer, string> = { mp4: 'mov', matroska: 'matroska', avi: 'avi', mpegts: 'mpegts', gif: 'gif' };
  for (const [container, demuxer] of Object.entries(expected) as [VideoContainer, string][]) assert.equal(demuxerFor(container), demuxer);
});

test('the input arguments allow local files only, force the demuxer and name only our own path', () => {
  for (const container of ['mp4', 'matroska', 'avi', 'mpegts', 'gif'] as const) {
    const args = hardenedInputArgs(container, '/tmp/idolens-work/input.x');
    const demuxer = demuxerFor(container);
    assert.deepEqual(args.slice(0, 4), ['-protocol_whitelist', 'file,pipe', '-format_whitelist', demuxer]);
    assert.deepEqual(args.slice(-4), ['-f', demuxer, '-i', 'file:/tmp/idolens-work/input.x']);
    assert.equal(args.includes('-enable_drefs'), container === 'mp4', 'ffmpeg 4.1 rejects mov-only options for other demuxers');
  }
  const mov = hardenedInputArgs('mp4', '/w/input.mp4');
  assert.equal(mov[mov.indexOf('-enable_drefs') + 1], '0');
  assert.equal(mov[mov.indexOf('-use_absolute_path') + 1], '0');
});

function stream(fields: Partial<ProbeStream>): ProbeStream {
  return { index: 0, codec_type: 'video', ...fields };
}

test('rotation is read clockwise from the display matrix (ffprobe gives it counter-clockwise) or the old rotate tag', () => {
  const matrix = (rotation: number): ProbeStream => stream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation }] });
  assert.equal(rotationOf(matrix(-90)), 90, 'a phone held upright');
  assert.equal(rotationOf(matrix(90)), 270);
  assert.equal(rotationOf(matrix(180)), 180);
  assert.equal(rotationOf(matrix(-180)), 180);
  assert.equal(rotationOf(matrix(-88.5)), 90);
  assert.equal(rotationOf(stream({ tags: { rotate: '90' } })), 90);
  assert.equal(rotationOf(stream({ tags: { rotate: '270' } })), 270);
  assert.equal(rotationOf(stream({})), 0);
});

test('frame rates are parsed from fractions and compared for variable timing', () => {
  assert.ok(Math.abs((parseRate('30000/1001') ?? 0) - 29.97) < 0.001);
  assert.equal(parseRate('0/0'), null);
  assert.equal(parseRate('25'), null);
  assert.deepEqual(frameRateOf(stream({ avg_frame_rate: '25/1', r_frame_rate: '25/1' })), { frameRate: 25, variableFrameRate: false });
  assert.equal(frameRateOf(stream({ avg_frame_rate: '1350/61', r_frame_rate: '30/1' }))?.variableFrameRate, true);
  assert.deepEqual(frameRateOf(stream({ avg_frame_rate: '0/0', r_frame_rate: '24/1' })), { frameRate: 24, variableFrameRate: false });
  assert.equal(frameRateOf(stream({ avg_frame_rate: '0/0', r_frame_rate: '0/0' })), null);
});

test('durations in messages read like a person wrote them', () => {
  assert.equal(formatDurationRounded(372.4), '6 min 12 s');
  assert.equal(formatDurationRounded(300), '5 min');
  assert.equal(formatDurationRounded(4.2), '4.2 s');
  assert.equal(formatDurationRounded(3725), '1 h 2 min 5 s');
});

test('a clip is incomplete when under 95 % of its announced frames or duration can be demuxed', () => {
  const counted = (read: number | undefined): { streams: ProbeStream[]; packets: [] } => ({
    streams: [stream(read === undefined ? {} : { nb_read_packets: String(read) })],
    packets: [],
  });
  const withFrames = stream({ nb_frames: '125' });
  assert.equal(incompleteReason(withFrames, counted(125)), undefined);
  assert.equal(incompleteReason(stream({ nb_frames: '126' }), counted(125)), undefined, 'an AVI one frame short');
  assert.equal(incompleteReason(withFrames, counted(107)), 'only 107 of its 125 frames are in the file');
  assert.equal(incompleteReason(withFrames, counted(undefined)), 'not one frame of its picture can be read');

  const matroska = stream({ tags: { DURATION: '00:00:07.607000000' } });
  const upTo = (end: number): { streams: ProbeStream[]; packets: { stream_index: number; pts_time: string; duration_time: string }[] } => ({
    streams: [stream({ nb_read_packets: '100' })],
    packets: [0, end / 2, end - 0.033].map((time) => ({ stream_index: 0, pts_time: time.toFixed(3), duration_time: '0.033' })),
  });
  assert.equal(incompleteReason(matroska, upTo(7.607)), undefined);
  assert.equal(incompleteReason(matroska, upTo(6.373)), 'its picture stops at 6.4 s of 7.6 s');
  assert.equal(incompleteReason(stream({}), upTo(1)), undefined, 'nothing announced, nothing to compare');
});
