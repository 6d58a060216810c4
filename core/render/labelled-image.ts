import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { IdolensError } from '../errors.ts';
import type { Box } from '../types.ts';
import { scaleBox } from '../box.ts';
import { MAX_OUTPUT_SIDE, labelStyle, leaderLine, outlineRect, outputSize, placeLabels } from './label-layout.ts';
import type { LabelStyle } from './label-layout.ts';
import { leaderOverlay, outlineOverlay, pillImage } from './overlays.ts';
import { UNKNOWN_LABEL_COLOR, UNKNOWN_OUTLINE_COLOR, colorsForNames, textColorOn } from './palette.ts';
import { renderText } from './text.ts';
import type { TextImage } from './text.ts';

export interface LabelledFace {
  /** Face box in pixels of the upright original. */
  box: Box;
  label: string;
  /** False for faces that matched nobody: drawn grey and dashed. */
  known: boolean;
}

/** Where one face was drawn, in output pixels (for tests and for callers that link labels to faces). */
export interface LabelledFaceLayout {
  box: Box;
  /** Outer edge of the coloured outline; the stroke is `thickness` wide inside it. */
  outline: Box;
  labelRect: Box;
  /** Outline and label background colour. */
  color: string;
  textColor: string;
}

export interface LabelledImage {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Output pixels per original pixel (below 1 when the longer side was capped). */
  scale: number;
  style: LabelStyle;
  /** One entry per input face, in input order. */
  layout: LabelledFaceLayout[];
}

const JPEG_QUALITY = 90;
const MIN_SHRUNK_FONT_PIXELS = 10;

/** Draws every face's outline and name onto the upright original (longer side capped at `maxSide`, default 4096 px) as a JPEG. */
export async function renderLabelledImage(input: { source: Uint8Array; faces: readonly LabelledFace[]; maxSide?: number }): Promise<LabelledImage> {
  const upright = await uprightSize(input.source);
  const size = outputSize(upright.width, upright.height, Math.min(input.maxSide ?? MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE));
  const boxes = input.faces.map((face) => scaleBox(face.box, size.scale));
  const style = labelStyle(size.width, size.height, boxes);
  const colors = colorsForNames(input.faces.filter((face) => face.known).map((face) => face.label));

  const drawn = await Promise.all(
    input.faces.map(async (face, index) => {
      const box = boxes[index] ?? face.box;
      const color = face.known ? (colors.get(face.label) ?? UNKNOWN_LABEL_COLOR) : UNKNOWN_LABEL_COLOR;
      const textColor = textColorOn(color);
      const text = await renderText({
        text: face.label,
        pixels: style.fontPixels,
        color: textColor,
        maxWidth: Math.max(1, size.width - 2 * style.labelPaddingX),
        minPixels: MIN_SHRUNK_FONT_PIXELS,
      });
      return { face, box, color, textColor, text, outline: outlineRect(box, style) };
    }),
  );

  const labelRects = placeLabels(
    drawn.map((item) => ({ anchor: item.outline, width: labelWidth(item.text, style, size.width), height: style.labelHeight })),
    size.width,
    size.height,
  );

  const outlines: OverlayOptions[] = [];
  const labels: OverlayOptions[] = [];
  const layout: LabelledFaceLayout[] = [];
  for (const [index, item] of drawn.entries()) {
    const labelRect = labelRects[index];
    if (labelRect === undefined) continue;
    const outlineColor = item.face.known ? item.color : UNKNOWN_OUTLINE_COLOR;
    const outline = outlineOverlay(
      { outline: item.outline, thickness: style.thickness, halo: style.halo, color: outlineColor, dashed: !item.face.known },
      size,
    );
    if (outline !== undefined) outlines.push(outline);
    const leader = leaderLine(labelRect, item.outline);
    const leaderLineOverlay = leader && leaderOverlay(leader, Math.max(2, Math.round(style.thickness / 2)), outlineColor, size);
    if (leaderLineOverlay !== undefined) outlines.push(leaderLineOverlay);
    const pill = await pillImage({ width: labelRect.width, height: labelRect.height, background: item.color, text: item.text });
    labels.push({ input: pill, left: labelRect.x, top: labelRect.y });
    layout.push({ box: item.box, outline: item.outline, labelRect, color: outlineColor, textColor: item.textColor });
  }

  const pipeline = sharp(input.source, { pages: 1 }).autoOrient();
  if (size.scale < 1) pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
  const { data, info } = await pipeline
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .composite([...outlines, ...labels])
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height, scale: size.scale, style, layout };
}

function labelWidth(text: TextImage, style: LabelStyle, imageWidth: number): number {
  return Math.min(imageWidth, text.width + 2 * style.labelPaddingX);
}

async function uprightSize(source: Uint8Array): Promise<{ width: number; height: number }> {
  if (source.byteLength === 0) throw new IdolensError('empty_file');
  try {
    const metadata = await sharp(source, { pages: 1 }).metadata();
    const { width, height } = metadata.autoOrient;
    if (width > 0 && height > 0) return { width, height };
  } catch (error) {
    throw new IdolensError('corrupt_image', undefined, {}, { cause: error });
  }
  throw new IdolensError('corrupt_image');
}
