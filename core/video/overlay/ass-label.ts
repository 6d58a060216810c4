import type { Box } from '../../types.ts';
import { labelFont } from '../../render/fonts.ts';
import { measureText, readFontMetrics } from './ass-font-metrics.ts';
import type { FontMetrics } from './ass-font-metrics.ts';
import { assNumber } from './ass-text.ts';
import { oneLineName } from '../report/summary.ts';

/** A label's text and the size of the rounded box it sits on, in script pixels. */
export interface LabelShape {
  /** The text as drawn (one line, trimmed), before ASS escaping. */
  text: string;
  fontSize: number;
  width: number;
  height: number;
  /** Horizontal squeeze in percent (100 unless the name is wider than the frame). */
  squeeze: number;
}

/** Advance assumed for a character no known font has (Hangul in a CJK font is about this wide). */
const MISSING_ADVANCE = 0.85;
const HEIGHT_PER_FONT_SIZE = 1.3;
const PADDING_PER_FONT_SIZE = 0.35;
const CORNER_PER_HEIGHT = 0.22;
/** Bézier handle length for a quarter circle, as a fraction of its radius. */
const KAPPA = 0.5523;

let cachedMetrics: FontMetrics[] | undefined;

/** The label font's metrics, then the Hangul font fontconfig falls back to for characters it lacks. */
function labelMetrics(): FontMetrics[] {
  if (cachedMetrics === undefined) {
    const font = labelFont();
    cachedMetrics = [font.fontfile, font.hangulFallback]
      .map((file) => (file === undefined ? undefined : readFontMetrics(file)))
      .filter((metrics): metrics is FontMetrics => metrics !== undefined);
  }
  return cachedMetrics;
}

/** The box a label needs: the text's measured width plus padding, no wider than the frame. */
export function labelShape(label: string, fontSize: number, frameWidth: number): LabelShape {
  const text = oneLineName(label);
  const padding = Math.round(fontSize * PADDING_PER_FONT_SIZE);
  const textWidth = measureText(text, labelMetrics(), MISSING_ADVANCE) * fontSize;
  const room = Math.max(1, frameWidth - 2 * padding);
  const squeeze = textWidth > room ? (100 * room) / textWidth : 100;
  return {
    text,
    fontSize,
    width: Math.min(frameWidth, Math.ceil(Math.min(textWidth, room) + 2 * padding)),
    height: Math.round(fontSize * HEIGHT_PER_FONT_SIZE),
    squeeze,
  };
}

/**
 * Top-left corner of a label sitting on top of `outline` at its left edge, kept inside the frame:
 * over the top of the box when the box reaches the top edge, sideways when it reaches a side.
 */
export function labelCorner(outline: Box, shape: LabelShape, frame: { width: number; height: number }): { x: number; y: number } {
  return {
    x: clamp(outline.x, 0, Math.max(0, frame.width - shape.width)),
    y: clamp(outline.y - shape.height, 0, Math.max(0, frame.height - shape.height)),
  };
}

/** An ASS drawing of a rounded rectangle with its top-left corner at 0,0. */
export function roundedRectDrawing(width: number, height: number): string {
  const r = Math.min(Math.round(height * CORNER_PER_HEIGHT), Math.floor(width / 2));
  const c = r * KAPPA;
  const n = assNumber;
  return [
    `m ${r} 0 l ${width - r} 0`,
    `b ${n(width - r + c)} 0 ${width} ${n(r - c)} ${width} ${r}`,
    `l ${width} ${height - r}`,
    `b ${width} ${n(height - r + c)} ${n(width - r + c)} ${height} ${width - r} ${height}`,
    `l ${r} ${height}`,
    `b ${n(r - c)} ${height} 0 ${n(height - r + c)} 0 ${height - r}`,
    `l 0 ${r}`,
    `b 0 ${n(r - c)} ${n(r - c)} 0 ${r} 0`,
  ].join(' ');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
