import sharp from 'sharp';
import { fontDescription, labelFont } from './fonts.ts';

/** A rendered run of text: a transparent PNG cropped to the ink of the glyphs. */
export interface TextImage {
  png: Buffer;
  width: number;
  height: number;
  /** The em size it was finally rendered at (smaller than asked when it had to fit). */
  pixels: number;
  /** The text actually drawn (ellipsised when it had to fit). */
  text: string;
}

export interface TextRequest {
  text: string;
  /** Em size in pixels. */
  pixels: number;
  /** CSS hex colour, e.g. `#ffffff`. */
  color: string;
  /** The image must not be wider than this. */
  maxWidth: number;
  /** Shrink no further than this em size; ellipsise instead. */
  minPixels?: number;
}

const ELLIPSIS = '…';
const MAX_FIT_ATTEMPTS = 12;

/** Makes user text safe inside Pango markup and keeps it on one line. */
export function escapePangoMarkup(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Renders one line of bold text no wider than `maxWidth`: first shrinking it, then ellipsising it. */
export async function renderText(request: TextRequest): Promise<TextImage> {
  const minPixels = Math.min(request.pixels, request.minPixels ?? request.pixels);
  let pixels = request.pixels;
  let rendered = await renderLine(request.text, pixels, request.color);
  if (rendered.width <= request.maxWidth) return rendered;

  pixels = Math.max(minPixels, Math.floor((pixels * request.maxWidth) / rendered.width));
  rendered = await renderLine(request.text, pixels, request.color);
  let characters = Array.from(request.text);
  for (let attempt = 0; rendered.width > request.maxWidth && attempt < MAX_FIT_ATTEMPTS && characters.length > 1; attempt += 1) {
    const keep = Math.max(1, Math.min(characters.length - 1, Math.floor((characters.length * request.maxWidth) / rendered.width) - 1));
    characters = characters.slice(0, keep);
    rendered = await renderLine(characters.join('').trimEnd() + ELLIPSIS, pixels, request.color);
  }
  return rendered.width <= request.maxWidth ? rendered : squeezeToWidth(rendered, request.maxWidth);
}

async function renderLine(text: string, pixels: number, color: string): Promise<TextImage> {
  const visible = text.trim();
  if (visible === '') return { png: await transparentPixel(), width: 1, height: 1, pixels, text: '' };
  const font = labelFont();
  const markup = `<span foreground="${color}">${escapePangoMarkup(visible)}</span>`;
  const { data, info } = await sharp({
    text: {
      text: markup,
      font: fontDescription(font, pixels),
      ...(font.fontfile === undefined ? {} : { fontfile: font.fontfile }),
      dpi: 72,
      rgba: true,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height, pixels, text: visible };
}

async function squeezeToWidth(image: TextImage, maxWidth: number): Promise<TextImage> {
  const width = Math.max(1, Math.floor(maxWidth));
  const { data, info } = await sharp(image.png).resize({ width, fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  return { ...image, png: data, width: info.width, height: info.height };
}

async function transparentPixel(): Promise<Buffer> {
  return sharp({ create: { width: 1, height: 1, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
}
