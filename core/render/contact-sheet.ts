import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { plural } from '../format.ts';
import {
  SHEET_CAPTION_HEIGHT,
  SHEET_EMPTY_HEIGHT,
  SHEET_MARGIN,
  SHEET_TILE_SIZE,
  SHEET_TITLE_HEIGHT,
  contactSheetLayout,
} from './contact-sheet-layout.ts';
import { pillImage } from './overlays.ts';
import { DARK_TEXT, FLAG_COLOR, LIGHT_TEXT } from './palette.ts';
import { renderText } from './text.ts';

export interface ContactSheetTile {
  thumbnailJpeg: Buffer;
  /** The number fans use to refer to this photo (e.g. to remove it). */
  number: number;
  /** Drawn with an orange border and a "review" mark. */
  flagged: boolean;
  caption?: string;
}

export interface ContactSheetInput {
  /** Member or group name. */
  title: string;
  tiles: readonly ContactSheetTile[];
}

const BACKGROUND = '#1F2430';
const TITLE_BAR = '#151922';
const MUTED_TEXT = '#AEB6C4';
const PLACEHOLDER = '#3A4150';
const BADGE_BACKGROUND = 'rgba(17,20,24,0.82)';
const TILE_RADIUS = 10;
const FLAG_BORDER = 4;
const BADGE_INSET = 6;
const JPEG_QUALITY = 90;

/** A JPEG grid of numbered thumbnails under a title bar; flagged photos are framed in orange and marked "review". */
export async function renderContactSheet(input: ContactSheetInput): Promise<Buffer> {
  const withCaptions = input.tiles.some((tile) => (tile.caption ?? '').trim() !== '');
  const layout = contactSheetLayout(input.tiles.length, withCaptions);
  const overlays: OverlayOptions[] = [...(await titleBar(input.title, input.tiles.length, layout.width))];
  if (input.tiles.length === 0) overlays.push(await emptyMessage(layout.width));

  const cellHeight = SHEET_TILE_SIZE + (withCaptions ? SHEET_CAPTION_HEIGHT : 0);
  const cells = await Promise.all(input.tiles.map((tile) => cellImage(tile, cellHeight)));
  for (const [index, cell] of cells.entries()) {
    const rect = layout.tiles[index];
    if (rect !== undefined) overlays.push({ input: cell, raw: { width: SHEET_TILE_SIZE, height: cellHeight, channels: 3 }, left: rect.x, top: rect.y });
  }

  return sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: BACKGROUND } })
    .composite(overlays)
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .toBuffer();
}

async function titleBar(title: string, count: number, width: number): Promise<OverlayOptions[]> {
  const bar = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${SHEET_TITLE_HEIGHT}"><rect width="100%" height="100%" fill="${TITLE_BAR}"/></svg>`;
  const countText = await renderText({ text: plural(count, 'photo'), pixels: 18, color: MUTED_TEXT, maxWidth: width / 3 });
  const titleMaxWidth = Math.max(1, width - 3 * SHEET_MARGIN - countText.width);
  const titleText = await renderText({ text: title, pixels: 24, color: LIGHT_TEXT, maxWidth: titleMaxWidth, minPixels: 20 });
  return [
    { input: Buffer.from(bar), left: 0, top: 0 },
    { input: titleText.png, left: SHEET_MARGIN, top: centred(SHEET_TITLE_HEIGHT, titleText.height) },
    { input: countText.png, left: width - SHEET_MARGIN - countText.width, top: centred(SHEET_TITLE_HEIGHT, countText.height) },
  ];
}

async function emptyMessage(width: number): Promise<OverlayOptions> {
  const message = await renderText({ text: 'no photos yet', pixels: 22, color: MUTED_TEXT, maxWidth: width - 2 * SHEET_MARGIN });
  return { input: message.png, left: centred(width, message.width), top: SHEET_TITLE_HEIGHT + centred(SHEET_EMPTY_HEIGHT, message.height) };
}

/**
 * One grid cell as raw RGB: the photo with rounded corners, its number badge, the review frame when flagged,
 * and the caption line below when the sheet has captions.
 */
async function cellImage(tile: ContactSheetTile, cellHeight: number): Promise<Buffer> {
  const size = SHEET_TILE_SIZE;
  const layers: OverlayOptions[] = [
    await squareThumbnail(tile.thumbnailJpeg),
    { input: await roundCorners(), left: 0, top: 0 },
    ...(await badgeOverlays(tile.number)),
  ];
  if (tile.flagged) {
    const mark = await reviewMark();
    layers.push({ input: await flagFrame(), left: 0, top: 0 }, { input: mark.png, left: centred(size, mark.width), top: size - mark.height - 8 });
  }
  const caption = cellHeight > size ? await captionOverlay(tile.caption ?? '', size) : undefined;
  if (caption !== undefined) layers.push(caption);
  return sharp({ create: { width: size, height: cellHeight, channels: 3, background: BACKGROUND } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
}

async function squareThumbnail(jpeg: Buffer): Promise<OverlayOptions> {
  const size = SHEET_TILE_SIZE;
  const raw = { width: size, height: size, channels: 3 } as const;
  try {
    const pixels = await sharp(jpeg, { pages: 1 }).autoOrient().resize(size, size, { fit: 'cover' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
    return { input: pixels, raw, left: 0, top: 0 };
  } catch {
    // One unreadable thumbnail must not sink the whole sheet: show a blank square instead.
    return { input: { create: { ...raw, background: PLACEHOLDER } }, left: 0, top: 0 };
  }
}

async function captionOverlay(caption: string, top: number): Promise<OverlayOptions | undefined> {
  if (caption.trim() === '') return undefined;
  const text = await renderText({ text: caption, pixels: 13, color: MUTED_TEXT, maxWidth: SHEET_TILE_SIZE });
  return { input: text.png, left: centred(SHEET_TILE_SIZE, text.width), top: top + centred(SHEET_CAPTION_HEIGHT, text.height) };
}

/** The number badge in the top-left corner: a dark pill (drawn as SVG) and the digits centred on it. */
async function badgeOverlays(value: number): Promise<OverlayOptions[]> {
  const text = await renderText({ text: String(value), pixels: 20, color: LIGHT_TEXT, maxWidth: SHEET_TILE_SIZE - 24, minPixels: 12 });
  const height = 30;
  const width = Math.max(height, text.width + 16);
  const pill = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${height / 2}" fill="${BADGE_BACKGROUND}"/></svg>`;
  return [
    { input: Buffer.from(pill), left: BADGE_INSET, top: BADGE_INSET },
    { input: text.png, left: BADGE_INSET + centred(width, text.width), top: BADGE_INSET + centred(height, text.height) },
  ];
}

/** A small PNG drawn the same on every tile. */
interface Sprite {
  png: Buffer;
  width: number;
  height: number;
}

const sprites = new Map<string, Promise<Sprite>>();

/** Draws a shared sprite once per process (a failed attempt is forgotten, so the next call retries). */
function sprite(key: string, draw: () => Promise<Sprite>): Promise<Sprite> {
  let drawn = sprites.get(key);
  if (drawn === undefined) {
    drawn = draw();
    sprites.set(key, drawn);
    drawn.catch(() => sprites.delete(key));
  }
  return drawn;
}

/** Paints the sheet background over the four corners outside a rounded square. */
async function roundCorners(): Promise<Buffer> {
  const size = SHEET_TILE_SIZE;
  const corners = sprite('corners', async () => {
    const outside = `M0 0H${size}V${size}H0Z`;
    const rounded = `M${TILE_RADIUS} 0H${size - TILE_RADIUS}A${TILE_RADIUS} ${TILE_RADIUS} 0 0 1 ${size} ${TILE_RADIUS}V${size - TILE_RADIUS}A${TILE_RADIUS} ${TILE_RADIUS} 0 0 1 ${size - TILE_RADIUS} ${size}H${TILE_RADIUS}A${TILE_RADIUS} ${TILE_RADIUS} 0 0 1 0 ${size - TILE_RADIUS}V${TILE_RADIUS}A${TILE_RADIUS} ${TILE_RADIUS} 0 0 1 ${TILE_RADIUS} 0Z`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><path d="${outside}${rounded}" fill="${BACKGROUND}" fill-rule="evenodd"/></svg>`;
    return { png: await sharp(Buffer.from(svg)).png().toBuffer(), width: size, height: size };
  });
  return (await corners).png;
}

async function flagFrame(): Promise<Buffer> {
  const size = SHEET_TILE_SIZE;
  const frame = sprite('frame', async () => {
    const inset = FLAG_BORDER / 2;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect x="${inset}" y="${inset}" width="${size - FLAG_BORDER}" height="${size - FLAG_BORDER}" rx="${TILE_RADIUS - inset}" fill="none" stroke="${FLAG_COLOR}" stroke-width="${FLAG_BORDER}"/></svg>`;
    return { png: await sharp(Buffer.from(svg)).png().toBuffer(), width: size, height: size };
  });
  return (await frame).png;
}

function reviewMark(): Promise<Sprite> {
  return sprite('review', async () => {
    const text = await renderText({ text: '⚠ review', pixels: 14, color: DARK_TEXT, maxWidth: SHEET_TILE_SIZE - 24 });
    const height = 24;
    const width = text.width + 16;
    return { png: await pillImage({ width, height, background: FLAG_COLOR, text, roundness: 0.5 }), width, height };
  });
}

function centred(outer: number, inner: number): number {
  return Math.max(0, Math.round((outer - inner) / 2));
}
