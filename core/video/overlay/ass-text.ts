/** Text, number, time and colour formatting for ASS scripts (as libass reads them). */
import { oneLineName } from '../report/summary.ts';

/** U+2060 WORD JOINER: invisible, and breaks up a backslash sequence such as `\N` or `\{`. */
const WORD_JOINER = '\u2060';

/**
 * A name as literal ASS dialogue text: it can never open an override block or a line break.
 * libass reads `\{` and `\}` as literal braces but has no escape for a backslash, so a backslash is followed by
 * an invisible word joiner. The name is first made one line (oneLineName).
 */
export function escapeAssText(text: string): string {
  return oneLineName(text)
    .replace(/\\/g, `\\${WORD_JOINER}`)
    .replace(/[{}]/g, (brace) => `\\${brace}`);
}

/** A value for a comma-separated field of a `Style:` line (commas would shift the fields). */
export function assField(text: string): string {
  return text.replace(/[,\r\n]/g, ' ').trim();
}

/** Whole centiseconds, the resolution of ASS event times. */
export function toCentiseconds(seconds: number): number {
  return Math.max(0, Math.round(seconds * 100));
}

/** `H:MM:SS.cc` for a time in centiseconds. */
export function assTime(centiseconds: number): string {
  const hours = Math.floor(centiseconds / 360_000);
  const minutes = Math.floor(centiseconds / 6000) % 60;
  const seconds = Math.floor(centiseconds / 100) % 60;
  const hundredths = centiseconds % 100;
  return `${hours}:${pad2(minutes)}:${pad2(seconds)}.${pad2(hundredths)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** A coordinate or percentage with at most two decimals and no exponent. */
export function assNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `&HBBGGRR&` for a `#RRGGBB` colour (ASS stores blue first). */
export function assColor(hex: string): string {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (match === null) throw new TypeError(`not a #RRGGBB colour: ${hex}`);
  const [, red = '00', green = '00', blue = '00'] = match;
  return `&H${(blue + green + red).toUpperCase()}&`;
}

/** `&HAABBGGRR` for a style line; alpha 0 is opaque, 255 invisible. */
export function assStyleColor(hex: string, alpha = 0): string {
  const bgr = assColor(hex).slice(2, -1);
  return `&H${alpha.toString(16).padStart(2, '0').toUpperCase()}${bgr}`;
}
