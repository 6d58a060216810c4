/**
 * Colours for known names: the Okabe–Ito set (readable with the common colour-vision deficiencies) first,
 * then a few muted extras for groups with more than seven members.
 */
export const KNOWN_COLORS: readonly string[] = [
  '#56B4E9', // sky blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#F0E442', // yellow
  '#44AA99', // teal
  '#882255', // wine
  '#999933', // olive
  '#332288', // indigo
  '#88CCEE', // light cyan
];

export const UNKNOWN_OUTLINE_COLOR = '#C9CED6';
export const UNKNOWN_LABEL_COLOR = '#4B5260';
export const FLAG_COLOR = '#E69F00';
export const LIGHT_TEXT = '#FFFFFF';
export const DARK_TEXT = '#111418';

/** One colour per distinct known name, assigned in alphabetical order so the same members keep the same colours. */
export function colorsForNames(names: Iterable<string>): Map<string, string> {
  const distinct = [...new Set(names)].sort((a, b) => a.localeCompare(b));
  return new Map(distinct.map((name, index) => [name, KNOWN_COLORS[index % KNOWN_COLORS.length] ?? KNOWN_COLORS[0] ?? '#56B4E9']));
}

/** White text, unless the background is so light that near-black reads better. */
export function textColorOn(background: string): string {
  const luminance = relativeLuminance(background);
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  const contrastWithDark = (luminance + 0.05) / (relativeLuminance(DARK_TEXT) + 0.05);
  return contrastWithWhite >= 3 || contrastWithWhite >= contrastWithDark ? LIGHT_TEXT : DARK_TEXT;
}

function relativeLuminance(hex: string): number {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  const channels = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff].map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
