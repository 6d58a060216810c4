import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the label font came from: the npm package, a system file, or fontconfig's own family lookup. */
export type LabelFontSource = 'package' | 'system-file' | 'fontconfig';

export interface LabelFont {
  /** Pango family name; combined with ` Bold <size>` into a font description. */
  family: string;
  /** The TTF handed to Pango, when one was found on disk. */
  fontfile: string | undefined;
  source: LabelFontSource;
  /**
   * A system font file known to cover Hangul, if one exists. Pango falls back to it through fontconfig
   * on its own; without one, Korean names render as boxes.
   */
  hangulFallback: string | undefined;
}

const FAMILY = 'DejaVu Sans';
const PACKAGE_FONT_FILE = path.join('ttf', 'DejaVuSans-Bold.ttf');
const SYSTEM_FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const HANGUL_FONT_FILES = [
  '/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf',
  '/usr/share/fonts/truetype/nanum/NanumGothic.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/noto/NotoSansKR-Bold.ttf',
  '/usr/share/fonts/truetype/unfonts-core/UnDotumBold.ttf',
  '/usr/share/fonts/truetype/baekmuk/gulim.ttf',
];

let cachedFont: LabelFont | undefined;

/** The bold sans font used for every label, resolved once per process. */
export function labelFont(): LabelFont {
  cachedFont ??= resolveLabelFont();
  return cachedFont;
}

function resolveLabelFont(): LabelFont {
  const hangulFallback = HANGUL_FONT_FILES.find((file) => existsSync(file));
  const packaged = packagedFontFile();
  if (packaged !== undefined) return { family: FAMILY, fontfile: packaged, source: 'package', hangulFallback };
  if (existsSync(SYSTEM_FONT_FILE)) return { family: FAMILY, fontfile: SYSTEM_FONT_FILE, source: 'system-file', hangulFallback };
  return { family: FAMILY, fontfile: undefined, source: 'fontconfig', hangulFallback };
}

function packagedFontFile(): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
    const file = path.join(path.dirname(packageJson), PACKAGE_FONT_FILE);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** A Pango font description for the label font at `pixels` em size (rendered at 72 dpi, so points equal pixels). */
export function fontDescription(font: LabelFont, pixels: number): string {
  return `${font.family} Bold ${Math.max(1, Math.round(pixels))}`;
}
