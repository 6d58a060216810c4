import path from 'node:path';
import type { Box } from '../../types.ts';
import { formatConfidence } from '../../format.ts';
import { labelFont } from '../../render/fonts.ts';
import { UNKNOWN_LABEL_COLOR, UNKNOWN_OUTLINE_COLOR, textColorOn } from '../../render/palette.ts';
import { motion, outlineBands, rectangleDrawing } from './ass-box.ts';
import { labelCorner, labelShape, roundedRectDrawing } from './ass-label.ts';
import type { LabelShape } from './ass-label.ts';
import { assColor, assField, assNumber, assStyleColor, assTime, escapeAssText } from './ass-text.ts';
import { trackSegments } from './ass-track-timing.ts';
import type { TrackSegment } from './ass-track-timing.ts';
import type { VideoTrack } from '../types.ts';

export interface OverlayAssInput {
  /** Size of the upright clip the boxes are measured in (the script's PlayResX/PlayResY). */
  width: number;
  height: number;
  tracks: readonly VideoTrack[];
  /** `#RRGGBB` per member name (colorsForNames). */
  colors: ReadonlyMap<string, string>;
  fontFamily: string;
  /** How long a track stays after its last keyframe and before its first; default 0.15 s. */
  holdSeconds?: number;
}

/** Line and text sizes for one frame size, in script pixels. */
export interface OverlayStyle {
  fontSize: number;
  unknownFontSize: number;
  /** Width of a named face's coloured outline, drawn just outside its box. */
  thickness: number;
  unknownThickness: number;
  /** Width of the faint dark band on each side of an outline, so it shows on any background. */
  halo: number;
}

export const DEFAULT_HOLD_SECONDS = 0.15;
export const UNKNOWN_LABEL = '?';
const HALO_ALPHA = 0x99;
const LAYER = { halo: 0, outline: 1, pill: 2, text: 3 } as const;

/** Sizes grow with the frame's shorter side, so labels read the same on a phone from 480p to 4K. */
export function overlayStyle(width: number, height: number): OverlayStyle {
  const shorter = Math.min(width, height);
  const fontSize = Math.round(Math.max(14, shorter * 0.042));
  const thickness = Math.max(2, Math.round(shorter * 0.006));
  return {
    fontSize,
    unknownFontSize: Math.round(fontSize * 0.8),
    thickness,
    unknownThickness: Math.max(1, Math.round(thickness * 0.6)),
    halo: Math.max(1, Math.round(thickness / 3)),
  };
}

/** An ASS script that draws every track's box and label, moving linearly between keyframes, for the `ass` filter. */
export function buildOverlayAss(input: OverlayAssInput): string {
  const frame = { width: Math.round(input.width), height: Math.round(input.height) };
  const style = overlayStyle(frame.width, frame.height);
  const hold = input.holdSeconds ?? DEFAULT_HOLD_SECONDS;
  const events = input.tracks.flatMap((track) => trackEvents(track, input.colors, style, frame, hold));
  return [...header(frame, style, assField(input.fontFamily)), '', '[Events]', EVENT_FORMAT, ...events, ''].join('\n');
}

const STYLE_FORMAT =
  'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding';
const EVENT_FORMAT = 'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text';

function header(frame: { width: number; height: number }, style: OverlayStyle, fontFamily: string): string[] {
  const black = assStyleColor('#000000');
  // Everything is a filled shape or plain text: no style has a border or shadow.
  const styleLine = (name: string, fontSize: number, primary: string, alignment: number): string =>
    `Style: ${name},${fontFamily},${fontSize},${primary},${primary},${black},${black},-1,0,0,0,100,100,0,0,1,0,0,${alignment},0,0,0,1`;
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${frame.width}`,
    `PlayResY: ${frame.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: None',
    '',
    '[V4+ Styles]',
    STYLE_FORMAT,
    styleLine('Halo', style.fontSize, assStyleColor('#000000', HALO_ALPHA), 7),
    styleLine('Outline', style.fontSize, black, 7),
    styleLine('UnknownOutline', style.fontSize, assStyleColor(UNKNOWN_OUTLINE_COLOR), 7),
    styleLine('Pill', style.fontSize, black, 7),
    styleLine('Name', style.fontSize, assStyleColor('#FFFFFF'), 5),
    styleLine('Unknown', style.unknownFontSize, assStyleColor(textColorOn(UNKNOWN_LABEL_COLOR)), 5),
  ];
}

interface TrackLook {
  known: boolean;
  color: string;
  label: LabelShape;
  thickness: number;
}

/** A named track's label carries how sure its name is, as a photo's answer does: "Lisa 93%". */
export function namedLabel(name: string, confidence: number): string {
  return `${name} ${formatConfidence(confidence)}`;
}

function trackEvents(
  track: VideoTrack,
  colors: ReadonlyMap<string, string>,
  style: OverlayStyle,
  frame: { width: number; height: number },
  hold: number,
): string[] {
  const known = track.name !== null;
  const color = track.name === null ? UNKNOWN_LABEL_COLOR : (colors.get(track.name) ?? UNKNOWN_LABEL_COLOR);
  const label = known ? labelShape(namedLabel(track.name ?? '', track.confidence), style.fontSize, frame.width) : labelShape(UNKNOWN_LABEL, style.unknownFontSize, frame.width);
  const look: TrackLook = { known, color, label, thickness: known ? style.thickness : style.unknownThickness };
  const actor = `track${Math.trunc(track.id)}`;
  return trackSegments(track.keyframes, hold).flatMap((segment) => segmentEvents(segment, look, style.halo, frame, actor));
}

/** The halo, outline sides, label box and label text of one segment; the actor field names the track (libass ignores it). */
function segmentEvents(segment: TrackSegment, look: TrackLook, halo: number, frame: { width: number; height: number }, actor: string): string[] {
  const dialogue = (layer: number, styleName: string, text: string): string =>
    `Dialogue: ${layer},${assTime(segment.start)},${assTime(segment.end)},${styleName},${actor},0,0,0,,${text}`;
  const outer = (box: Box): Box => grow(box, look.thickness + halo);
  const bandsFrom = outlineBands(segment.from, look.thickness, halo);
  const bandsTo = outlineBands(segment.to, look.thickness, halo);
  const pillFrom = labelCorner(outer(segment.from), look.label, frame);
  const pillTo = labelCorner(outer(segment.to), look.label, frame);
  const centre = { x: look.label.width / 2, y: look.label.height / 2 };
  const strokeColor = look.known ? `\\1c${assColor(look.color)}` : '';
  const sides = (from: Box[], to: Box[], layer: number, styleName: string, overrides: string): string[] =>
    from.map((side, index) => dialogue(layer, styleName, rectangleDrawing(side, to[index] ?? side, overrides, frame)));
  const textColor = look.known ? `\\1c${assColor(textColorOn(look.color))}` : '';
  const squeeze = look.label.squeeze < 100 ? `\\fscx${assNumber(look.label.squeeze)}` : '';
  return [
    ...sides(bandsFrom.halo, bandsTo.halo, LAYER.halo, 'Halo', ''),
    ...sides(bandsFrom.stroke, bandsTo.stroke, LAYER.outline, look.known ? 'Outline' : 'UnknownOutline', strokeColor),
    dialogue(LAYER.pill, 'Pill', `{${motion(pillFrom, pillTo)}\\1c${assColor(look.color)}\\p1}${roundedRectDrawing(look.label.width, look.label.height)}`),
    dialogue(
      LAYER.text,
      look.known ? 'Name' : 'Unknown',
      `{${motion(offset(pillFrom, centre), offset(pillTo, centre))}${textColor}${squeeze}}${escapeAssText(look.label.text)}`,
    ),
  ];
}

function offset(point: { x: number; y: number }, by: { x: number; y: number }): { x: number; y: number } {
  return { x: point.x + by.x, y: point.y + by.y };
}

function grow(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: Math.max(1, box.width + 2 * by), height: Math.max(1, box.height + 2 * by) };
}

/** The font family the script names and the folder the `ass` filter loads it from (undefined: fontconfig finds it). */
export function overlayFonts(): { fontFamily: string; fontsDir: string | undefined } {
  const font = labelFont();
  const fontsDir = font.source === 'package' && font.fontfile !== undefined ? path.dirname(font.fontfile) : undefined;
  return { fontFamily: font.family, fontsDir };
}

/** The `ass=` filter for a filtergraph, both paths escaped for the option parser and then for the graph parser. */
export function assFilter(assPath: string, fontsDir: string | undefined): string {
  const options = [`filename=${escapeOptionValue(assPath)}`];
  if (fontsDir !== undefined) options.push(`fontsdir=${escapeOptionValue(fontsDir)}`);
  return `ass=${escapeGraphArguments(options.join(':'))}`;
}

/** ffmpeg reads a filter option value up to the next unescaped `:`; `\` escapes any character, `'` quotes. */
function escapeOptionValue(value: string): string {
  return value.replace(/[\\':=\s]/g, '\\$&');
}

/** The graph parser reads a filter's arguments up to `[ ] , ;`, unescaping `\` and `'` once more. */
function escapeGraphArguments(value: string): string {
  return value.replace(/[\\'[\],;\s]/g, '\\$&');
}
