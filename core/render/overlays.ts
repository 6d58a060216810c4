import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { Box } from '../types.ts';
import type { TextImage } from './text.ts';

/** Where an overlay may be drawn: the output image's size. */
export interface Canvas {
  width: number;
  height: number;
}

export interface OutlineSpec {
  /** Outer edge of the coloured stroke. */
  outline: Box;
  thickness: number;
  halo: number;
  color: string;
  dashed: boolean;
}

const HALO_COLOR = 'rgba(0,0,0,0.4)';

/** A rounded rectangle outline with a faint dark halo, clipped to the canvas; undefined when wholly outside it. */
export function outlineOverlay(spec: OutlineSpec, canvas: Canvas): OverlayOptions | undefined {
  const band = spec.thickness + 2 * spec.halo;
  const outer = {
    x: Math.round(spec.outline.x - spec.halo),
    y: Math.round(spec.outline.y - spec.halo),
    width: Math.round(spec.outline.width + 2 * spec.halo),
    height: Math.round(spec.outline.height + 2 * spec.halo),
  };
  const clip = clipToCanvas(outer, canvas);
  if (clip === undefined) return undefined;
  const rect = {
    x: band / 2,
    y: band / 2,
    width: Math.max(1, outer.width - band),
    height: Math.max(1, outer.height - band),
    radius: spec.thickness,
  };
  const dash = spec.dashed ? ` stroke-dasharray="${spec.thickness * 3} ${spec.thickness * 2}"` : '';
  const shape = (stroke: string, width: number): string =>
    `<rect x="${rect.x}" y="${rect.y}" width="${rect.width}" height="${rect.height}" rx="${rect.radius}" fill="none" stroke="${stroke}" stroke-width="${width}"${dash}/>`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${clip.width}" height="${clip.height}">` +
    `<g transform="translate(${outer.x - clip.x} ${outer.y - clip.y})">${shape(HALO_COLOR, band)}${shape(spec.color, spec.thickness)}</g></svg>`;
  return { input: Buffer.from(svg), left: clip.x, top: clip.y };
}

/** A vertical line of `width` px from `fromY` to `toY`, with the same halo as outlines. */
export function leaderOverlay(line: { x: number; fromY: number; toY: number }, width: number, color: string, canvas: Canvas): OverlayOptions | undefined {
  const outer = { x: Math.round(line.x - width), y: Math.round(line.fromY), width: 2 * width, height: Math.round(line.toY - line.fromY) };
  const clip = clipToCanvas(outer, canvas);
  if (clip === undefined || clip.width !== outer.width || clip.height !== outer.height) return undefined;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${outer.width}" height="${outer.height}">` +
    `<rect x="0" y="0" width="${outer.width}" height="${outer.height}" fill="${HALO_COLOR}"/>` +
    `<rect x="${width / 2}" y="0" width="${width}" height="${outer.height}" fill="${color}"/></svg>`;
  return { input: Buffer.from(svg), left: outer.x, top: outer.y };
}

export interface PillSpec {
  width: number;
  height: number;
  background: string;
  text: TextImage;
  /** Corner radius as a fraction of the height. */
  roundness?: number;
  /** Optional border drawn inside the pill. */
  border?: { color: string; width: number };
}

/** A filled rounded rectangle with text centred on it, as a PNG. */
export async function pillImage(spec: PillSpec): Promise<Buffer> {
  const radius = Math.round(spec.height * (spec.roundness ?? 0.22));
  const border = spec.border;
  const stroke = border === undefined ? '' : ` stroke="${border.color}" stroke-width="${border.width}"`;
  const inset = border === undefined ? 0 : border.width / 2;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}">` +
    `<rect x="${inset}" y="${inset}" width="${spec.width - 2 * inset}" height="${spec.height - 2 * inset}" rx="${radius}" fill="${spec.background}"${stroke}/></svg>`;
  const text = await fitInside(spec.text, spec.width, spec.height);
  const left = Math.max(0, Math.round((spec.width - text.width) / 2));
  const top = Math.max(0, Math.round((spec.height - text.height) / 2));
  return sharp(Buffer.from(svg))
    .composite([{ input: text.png, left, top }])
    .png()
    .toBuffer();
}

async function fitInside(text: TextImage, width: number, height: number): Promise<TextImage> {
  if (text.width <= width && text.height <= height) return text;
  const { data, info } = await sharp(text.png).resize({ width, height, fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  return { ...text, png: data, width: info.width, height: info.height };
}

function clipToCanvas(box: Box, canvas: Canvas): Box | undefined {
  const left = Math.max(0, box.x);
  const top = Math.max(0, box.y);
  const right = Math.min(canvas.width, box.x + box.width);
  const bottom = Math.min(canvas.height, box.y + box.height);
  if (right <= left || bottom <= top) return undefined;
  return { x: left, y: top, width: right - left, height: bottom - top };
}
