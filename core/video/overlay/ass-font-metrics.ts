import { readFileSync } from 'node:fs';

/**
 * Advance widths read from a TrueType font's `cmap` and `hmtx` tables, in units of the ASS font size.
 * libass sizes a font so that usWinAscent + usWinDescent equals the ASS size, so that is the unit here.
 */
export interface FontMetrics {
  /** Advance of one character as a fraction of the ASS font size; undefined when the font lacks it. */
  advance(codePoint: number): number | undefined;
}

interface Tables {
  view: DataView;
  offsets: Map<string, number>;
}

/** The metrics of a TTF file, or undefined when it cannot be read or parsed. */
export function readFontMetrics(file: string): FontMetrics | undefined {
  try {
    const bytes = readFileSync(file);
    return parseMetrics({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offsets: tableOffsets(bytes) });
  } catch {
    return undefined;
  }
}

function tableOffsets(bytes: Buffer): Map<string, number> {
  const count = bytes.readUInt16BE(4);
  const offsets = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const record = 12 + 16 * index;
    offsets.set(bytes.toString('latin1', record, record + 4), bytes.readUInt32BE(record + 8));
  }
  return offsets;
}

function parseMetrics(tables: Tables): FontMetrics | undefined {
  const { view } = tables;
  const head = tables.offsets.get('head');
  const hhea = tables.offsets.get('hhea');
  const hmtx = tables.offsets.get('hmtx');
  const os2 = tables.offsets.get('OS/2');
  const glyphOf = bmpCharacterMap(tables);
  if (head === undefined || hhea === undefined || hmtx === undefined || glyphOf === undefined) return undefined;
  const longMetrics = view.getUint16(hhea + 34);
  const lineUnits =
    os2 !== undefined ? view.getUint16(os2 + 74) + view.getUint16(os2 + 76) : view.getInt16(hhea + 4) - view.getInt16(hhea + 6);
  if (longMetrics === 0 || lineUnits <= 0 || view.getUint16(head + 18) === 0) return undefined;
  return {
    advance(codePoint: number): number | undefined {
      const glyph = glyphOf(codePoint);
      if (glyph === 0) return undefined;
      return view.getUint16(hmtx + 4 * Math.min(glyph, longMetrics - 1)) / lineUnits;
    },
  };
}

/** Glyph lookup through the Windows Unicode BMP subtable (format 4); glyph 0 means missing. */
function bmpCharacterMap(tables: Tables): ((codePoint: number) => number) | undefined {
  const { view } = tables;
  const cmap = tables.offsets.get('cmap');
  if (cmap === undefined) return undefined;
  const subtables = view.getUint16(cmap + 2);
  for (let index = 0; index < subtables; index += 1) {
    const record = cmap + 4 + 8 * index;
    const subtable = cmap + view.getUint32(record + 4);
    if (view.getUint16(record) === 3 && view.getUint16(record + 2) === 1 && view.getUint16(subtable) === 4) return format4Lookup(view, subtable);
  }
  return undefined;
}

function format4Lookup(view: DataView, subtable: number): (codePoint: number) => number {
  const segments = view.getUint16(subtable + 6) / 2;
  const ends = subtable + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (codePoint) => {
    if (codePoint > 0xffff) return 0;
    for (let segment = 0; segment < segments; segment += 1) {
      if (codePoint > view.getUint16(ends + 2 * segment)) continue;
      const start = view.getUint16(starts + 2 * segment);
      if (codePoint < start) return 0;
      const delta = view.getUint16(deltas + 2 * segment);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * segment);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * segment + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Width of a line of text in ASS font-size units, taking each character from the first font that has it. */
export function measureText(text: string, fonts: readonly FontMetrics[], missingAdvance: number): number {
  let width = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    width += fonts.map((font) => font.advance(codePoint)).find((advance) => advance !== undefined) ?? missingAdvance;
  }
  return width;
}
