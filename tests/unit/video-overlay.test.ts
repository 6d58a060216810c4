import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Box } from '../../core/types.ts';
import type { VideoTrack } from '../../core/video/types.ts';
import { buildOverlayAss, namedLabel, overlayStyle } from '../../core/video/overlay/overlay-ass.ts';
import { escapeAssText } from '../../core/video/overlay/ass-text.ts';

interface AssEvent {
  layer: number;
  /** Centiseconds. */
  start: number;
  end: number;
  style: string;
  actor: string;
  text: string;
}

const JENNIE_COLOR = '#E69F00';
const COLORS = new Map([['Jennie', JENNIE_COLOR]]);
const FRAME = { width: 1280, height: 720 };

function track(id: number, name: string | null, keyframes: { time: number; box: Box }[]): VideoTrack {
  return { id, name, confidence: 0.9, votes: 3, keyframes, from: keyframes[0]?.time ?? 0, to: keyframes.at(-1)?.time ?? 0 };
}

function box(x: number, y: number, width = 100, height = 120): Box {
  return { x, y, width, height };
}

function centiseconds(time: string): number {
  const match = /^(\d+):(\d\d):(\d\d)\.(\d\d)$/.exec(time);
  assert.ok(match, `bad ASS time ${time}`);
  const [, hours = '0', minutes = '0', seconds = '0', hundredths = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 100 + Number(hundredths);
}

function events(script: string): AssEvent[] {
  return script
    .split('\n')
    .filter((line) => line.startsWith('Dialogue: '))
    .map((line) => {
      const fields = line.slice('Dialogue: '.length).split(',');
      const [layer = '', start = '', end = '', style = '', actor = ''] = fields;
      return { layer: Number(layer), start: centiseconds(start), end: centiseconds(end), style, actor, text: fields.slice(9).join(',') };
    });
}

function layerOf(all: AssEvent[], actor: string, layer: number): AssEvent[] {
  return all.filter((event) => event.actor === actor && event.layer === layer).sort((a, b) => a.start - b.start);
}

/**
 * A layer's events split into one sequence per drawn part (a box has four sides per layer): within one segment the
 * parts come in the same order, so the k-th event of each start time belongs to part k.
 */
function partsOf(all: AssEvent[], actor: string, layer: number): AssEvent[][] {
  const parts: AssEvent[][] = [];
  let start = Number.NaN;
  let part = 0;
  for (const event of layerOf(all, actor, layer)) {
    part = event.start === start ? part + 1 : 0;
    start = event.start;
    (parts[part] ??= []).push(event);
  }
  return parts;
}

/** Where an event's rectangle, drawing or text starts and ends: from its animated clip, \move, or \pos for both. */
function motion(event: AssEvent): { from: [number, number]; to: [number, number] } {
  const clip = /\\clip\((-?\d+),(-?\d+),-?\d+,-?\d+\)(?:\\t\(\\clip\((-?\d+),(-?\d+),-?\d+,-?\d+\)\))?/.exec(event.text);
  if (clip !== null) return { from: [Number(clip[1]), Number(clip[2])], to: [Number(clip[3] ?? clip[1]), Number(clip[4] ?? clip[2])] };
  const move = /\\move\(([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)\)/.exec(event.text);
  if (move !== null) return { from: [Number(move[1]), Number(move[2])], to: [Number(move[3]), Number(move[4])] };
  const pos = /\\pos\(([-\d.]+),([-\d.]+)\)/.exec(event.text);
  assert.ok(pos, `no position in ${event.text}`);
  return { from: [Number(pos[1]), Number(pos[2])], to: [Number(pos[1]), Number(pos[2])] };
}

/**
 * What libass shows for dialogue text, read the way libass reads it: `{…}` is an override block, `\{` and `\}`
 * are literal braces, `\N`, `\n` and `\h` are breaks and hard spaces; the word joiner draws nothing.
 */
function libassReading(text: string): { visible: string; overrideBlocks: number; breaks: number } {
  let visible = '';
  let overrideBlocks = 0;
  let breaks = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const next = text[index + 1];
    if (character === '{') {
      const close = text.indexOf('}', index);
      if (close !== -1) {
        overrideBlocks += 1;
        index = close;
        continue;
      }
    }
    if (character === '\\' && (next === '{' || next === '}')) {
      visible += next;
      index += 1;
    } else if (character === '\\' && (next === 'N' || next === 'n' || next === 'h')) {
      breaks += 1;
      index += 1;
    } else if (character !== '\u2060') visible += character;
  }
  return { visible, overrideBlocks, breaks };
}

test('consecutive events of a track tile its time exactly, even with irregular 1/30 s keyframe times', () => {
  const frames = [3, 7, 8, 14, 20, 29, 31, 47];
  const keyframes = frames.map((frame, index) => ({ time: frame / 30, box: box(100 + 40 * index, 200 + 3 * index, 100 + index, 120 + index) }));
  const all = events(buildOverlayAss({ ...FRAME, tracks: [track(7, 'Jennie', keyframes)], colors: COLORS, fontFamily: 'DejaVu Sans' }));
  const sequences = [0, 1, 2, 3].flatMap((layer) => partsOf(all, 'track7', layer).map((stack) => ({ layer, stack })));
  assert.equal(sequences.length, 4 + 4 + 1 + 1, 'four halo bands, four sides, the label box and its text');
  for (const { layer, stack } of sequences) {
    assert.equal(stack[0]?.start, Math.round((3 / 30 - 0.15) * 100) < 0 ? 0 : Math.round((3 / 30 - 0.15) * 100));
    assert.equal(stack.at(-1)?.end, Math.round((47 / 30 + 0.15) * 100));
    for (let index = 1; index < stack.length; index += 1) {
      const before = stack[index - 1];
      const after = stack[index];
      assert.ok(before !== undefined && after !== undefined);
      assert.equal(after.start, before.end, `layer ${layer}: gap or overlap at event ${index}`);
      assert.ok(after.end > after.start, `layer ${layer}: empty event ${index}`);
      assert.deepEqual(motion(after).from, motion(before).to, `layer ${layer}: jump at ${after.start} cs`);
    }
  }
});

test('a box side is a clipped rectangle moving and resizing between keyframes with \\t, starting where the previous event ended', () => {
  const keyframes = [
    { time: 1, box: box(100, 200, 100, 120) },
    { time: 2, box: box(300, 220, 140, 160) },
  ];
  const all = events(buildOverlayAss({ ...FRAME, tracks: [track(1, 'Jennie', keyframes)], colors: COLORS, fontFamily: 'DejaVu Sans' }));
  const [top, , left] = partsOf(all, 'track1', 1).map((stack) => stack.find((event) => event.start === 100));
  assert.ok(top && left, 'outline events from the first keyframe');
  assert.equal(top.end, 200);
  // The stroke lies just outside the box, 4 px wide at 720p: the top side spans the box and both side strokes.
  assert.equal(overlayStyle(FRAME.width, FRAME.height).thickness, 4);
  assert.match(top.text, /\\clip\(96,196,204,200\)\\t\(\\clip\(296,216,444,220\)\)/);
  assert.match(left.text, /\\clip\(96,200,100,320\)\\t\(\\clip\(296,220,300,380\)\)/);
  assert.match(top.text, /\\pos\(0,0\).*\\p1\}m 0 0 l 1280 0 1280 720 0 720$/, 'the same frame-sized drawing for every side');
  assert.match(top.text, /\\1c&H009FE6&/, 'the member colour, as ASS BGR');
});

test('a track is held before its first keyframe (not before 0) and after its last', () => {
  const tracks = [
    track(1, 'Jennie', [{ time: 0.05, box: box(10, 10) }, { time: 1, box: box(20, 10) }]),
    track(2, null, [{ time: 2, box: box(400, 300) }, { time: 3, box: box(410, 300) }]),
  ];
  const byDefault = events(buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans' }));
  assert.equal(layerOf(byDefault, 'track1', 1)[0]?.start, 0);
  assert.equal(layerOf(byDefault, 'track1', 1).at(-1)?.end, 115);
  assert.equal(layerOf(byDefault, 'track2', 1)[0]?.start, 185);
  assert.equal(layerOf(byDefault, 'track2', 1).at(-1)?.end, 315);

  const longer = events(buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans', holdSeconds: 0.5 }));
  const held = layerOf(longer, 'track2', 1);
  assert.equal(held[0]?.start, 150);
  assert.equal(held.at(-1)?.end, 350);
  assert.deepEqual(motion(held.at(-1) ?? assert.fail()).from, motion(held.at(-1) ?? assert.fail()).to, 'the box stands still while held');
});

test('a track with a single keyframe still shows for a short time, even without a hold', () => {
  const tracks = [track(4, 'Jennie', [{ time: 1.234, box: box(50, 50) }])];
  const [held = []] = partsOf(events(buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans' })), 'track4', 1);
  assert.deepEqual(
    held.map(({ start, end }) => [start, end]),
    [
      [108, 123],
      [123, 138],
    ],
  );
  const [unheld = []] = partsOf(events(buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans', holdSeconds: 0 })), 'track4', 1);
  assert.equal(unheld.length, 1);
  assert.ok((unheld[0]?.end ?? 0) - (unheld[0]?.start ?? 0) >= 10, 'at least a tenth of a second');
});

test('a hostile name is drawn literally: it cannot open an override block or break the line', () => {
  const names = ['{\\pos(0,0)}X', 'a\\Nb', 'x\\', '\\{\\}', '  Lisa\nKim  ', 'tab\there'];
  const tracks = names.map((name, index) => track(index, name, [{ time: 0, box: box(100 + 150 * index, 300) }]));
  const colors = new Map(names.map((name) => [name, '#56B4E9']));
  const all = events(buildOverlayAss({ ...FRAME, tracks, colors, fontFamily: 'DejaVu Sans' }));
  for (const [index, name] of names.entries()) {
    const text = layerOf(all, `track${index}`, 3)[0]?.text ?? assert.fail('no label event');
    const reading = libassReading(text);
    assert.equal(reading.overrideBlocks, 1, `only our own override block for ${JSON.stringify(name)}`);
    assert.equal(reading.breaks, 0);
    assert.equal(reading.visible, namedLabel(name.replace(/\s+/g, ' ').trim(), 0.9));
  }
  assert.equal(libassReading(escapeAssText('{\\pos(0,0)}X')).visible, '{\\pos(0,0)}X');
});

test('the label sits above the box, and over its top when the box touches the top edge or a side', () => {
  const tracks = [
    track(1, 'Jennie', [{ time: 0, box: box(400, 300) }]),
    track(2, 'Jennie', [{ time: 0, box: box(600, 0) }]),
    track(3, 'Jennie', [{ time: 0, box: box(1230, 400) }]),
  ];
  const all = events(buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans' }));
  const pillTop = (id: number): [number, number] => motion(layerOf(all, `track${id}`, 2)[0] ?? assert.fail()).from;
  const pillHeight = Math.round(overlayStyle(FRAME.width, FRAME.height).fontSize * 1.3);
  const [, aboveY] = pillTop(1);
  assert.ok(aboveY + pillHeight <= 300 && aboveY + pillHeight >= 300 - 10, `label just above the box (${aboveY})`);
  assert.deepEqual(pillTop(2)[1], 0, 'label inside the frame, over the top of a box at the top edge');
  const pill3 = layerOf(all, 'track3', 2)[0]?.text ?? '';
  const pillWidth = Math.max(...[...pill3.matchAll(/ (\d+) 0 b/g)].map((match) => Number(match[1])));
  assert.ok(pillTop(3)[0] + pillWidth <= FRAME.width + 1, 'label kept inside the right edge');
  assert.ok(pillTop(3)[0] < 1230);
});

test('unknown faces get a thinner grey outline and a small "?" label', () => {
  const tracks = [track(1, null, [{ time: 0, box: box(400, 300) }]), track(2, 'Jennie', [{ time: 0, box: box(700, 300) }])];
  const script = buildOverlayAss({ ...FRAME, tracks, colors: COLORS, fontFamily: 'DejaVu Sans' });
  const all = events(script);
  assert.equal(layerOf(all, 'track1', 1)[0]?.style, 'UnknownOutline');
  assert.equal(libassReading(layerOf(all, 'track1', 3)[0]?.text ?? '').visible, '?');
  const sideWidth = (actor: string): number => {
    const clip = /\\clip\((-?\d+),(-?\d+),(-?\d+),(-?\d+)\)/.exec(layerOf(all, actor, 1)[0]?.text ?? '');
    return Number(clip?.[4]) - Number(clip?.[2]);
  };
  assert.ok(sideWidth('track1') < sideWidth('track2'), 'thinner than a named outline');
  assert.match(script, /^Style: UnknownOutline,(?:[^,]*,){2}&H00D6CEC9,/m, 'UNKNOWN_OUTLINE_COLOR');
});

test('line width and text grow with the frame, from 480p to 4K', () => {
  const small = overlayStyle(854, 480);
  const large = overlayStyle(3840, 2160);
  assert.ok(small.fontSize >= 14 && small.thickness >= 2);
  assert.ok(large.fontSize >= 4 * small.fontSize * 0.9 && large.thickness >= 4 * small.thickness);
  assert.equal(overlayStyle(1080, 1920).fontSize, overlayStyle(1920, 1080).fontSize, 'portrait clips get the same sizes');
  const script = buildOverlayAss({ width: 854, height: 480, tracks: [], colors: COLORS, fontFamily: 'DejaVu Sans' });
  assert.match(script, /^PlayResX: 854$/m);
  assert.match(script, /^PlayResY: 480$/m);
});
