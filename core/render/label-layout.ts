import type { Box } from '../types.ts';

/** Sizes shared by every face drawn on one image, all in output pixels. */
export interface LabelStyle {
  /** Em size of the label text. */
  fontPixels: number;
  /** Width of the coloured outline. */
  thickness: number;
  /** Width of the dark halo on each side of the outline, so it shows on any background. */
  halo: number;
  labelHeight: number;
  labelPaddingX: number;
}

export const MAX_OUTPUT_SIDE = 4096;
const MIN_FONT_PIXELS = 12;
const MAX_FONT_PIXELS = 64;

/** The output size: the upright original, scaled down only when its longer side exceeds `maxSide`. */
export function outputSize(width: number, height: number, maxSide = MAX_OUTPUT_SIDE): { width: number; height: number; scale: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  if (scale === 1) return { width, height, scale };
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/**
 * Text grows with the image (3.5% of its shorter side) and leans towards the faces' size: close-ups get up to
 * 1.4 times larger labels, crowds of small faces down to 0.6 times, always within 12 to 64 px.
 */
export function labelStyle(imageWidth: number, imageHeight: number, faceBoxes: readonly Box[]): LabelStyle {
  const shorterSide = Math.min(imageWidth, imageHeight);
  const faceSide = median(faceBoxes.map((box) => Math.min(box.width, box.height))) ?? shorterSide * 0.15;
  const faceFactor = clamp(faceSide / (shorterSide * 0.15), 0.6, 1.4);
  const fontPixels = Math.round(clamp(shorterSide * 0.035 * faceFactor, MIN_FONT_PIXELS, MAX_FONT_PIXELS));
  const thickness = Math.max(2, Math.round(Math.min(shorterSide * 0.006, faceSide * 0.06)));
  const labelHeight = Math.min(imageHeight, Math.round(fontPixels * 1.5));
  return { fontPixels, thickness, halo: Math.max(1, Math.round(thickness / 3)), labelHeight, labelPaddingX: Math.round(fontPixels * 0.4) };
}

/** The rectangle along the outer edge of the coloured outline, which hugs the face box from outside. */
export function outlineRect(box: Box, style: LabelStyle): Box {
  const grow = style.halo + style.thickness;
  return { x: box.x - grow, y: box.y - grow, width: box.width + 2 * grow, height: box.height + 2 * grow };
}

export interface LabelRequest {
  /** The face's outline rectangle the label belongs to. */
  anchor: Box;
  width: number;
  height: number;
}

const MAX_PUSHES = 4;

/**
 * Places each label as a tab on top of its outline (below when there is no room above), inside the image,
 * moving it sideways or pushing it further up or down when it would overlap a label already placed,
 * and preferring spots that cover no other face.
 * Returns the label rectangles in the order of `requests`.
 */
export function placeLabels(requests: readonly LabelRequest[], imageWidth: number, imageHeight: number): Box[] {
  const order = requests.map((_, index) => index).sort((a, b) => compareAnchors(requests[a], requests[b]));
  const placed: Box[] = [];
  const result = new Array<Box>(requests.length);
  for (const index of order) {
    const request = requests[index];
    if (request === undefined) continue;
    const candidates = candidateRects(request, imageWidth, imageHeight);
    const otherFaces = requests.filter((other) => other !== request).map((other) => other.anchor);
    const clearOfLabels = (candidate: Box): boolean => placed.every((other) => !intersects(candidate, other));
    const clearOfFaces = (candidate: Box): boolean => otherFaces.every((face) => !intersects(candidate, face));
    const chosen =
      candidates.find((candidate) => clearOfLabels(candidate) && clearOfFaces(candidate)) ??
      candidates.find(clearOfLabels) ??
      candidates[0] ??
      fallbackRect(request, imageWidth, imageHeight);
    placed.push(chosen);
    result[index] = chosen;
  }
  return result;
}

function compareAnchors(a: LabelRequest | undefined, b: LabelRequest | undefined): number {
  if (a === undefined || b === undefined) return 0;
  return a.anchor.y - b.anchor.y || a.anchor.x - b.anchor.x;
}

function candidateRects(request: LabelRequest, imageWidth: number, imageHeight: number): Box[] {
  const { anchor, width, height } = request;
  const above = anchor.y - height;
  const below = anchor.y + anchor.height;
  const insideTop = anchor.y;
  const pushes: number[] = [];
  for (let step = 1; step <= MAX_PUSHES; step += 1) pushes.push(above - step * height, below + step * height);
  const ys = [above, below, insideTop, ...pushes].filter((y) => y >= 0 && y + height <= imageHeight);
  const xs = [anchor.x, anchor.x + anchor.width - width, anchor.x + (anchor.width - width) / 2].map((x) => clamp(x, 0, Math.max(0, imageWidth - width)));
  return ys.flatMap((y) => xs.map((x) => roundRect({ x, y, width, height })));
}

/** A vertical segment joining a label that was pushed away from its outline back to it; undefined when they touch. */
export function leaderLine(labelRect: Box, outline: Box): { x: number; fromY: number; toY: number } | undefined {
  const x = clamp(labelRect.x + labelRect.width / 2, outline.x, outline.x + outline.width);
  if (labelRect.y + labelRect.height < outline.y) return { x, fromY: labelRect.y + labelRect.height, toY: outline.y };
  if (labelRect.y > outline.y + outline.height) return { x, fromY: outline.y + outline.height, toY: labelRect.y };
  return undefined;
}

function fallbackRect(request: LabelRequest, imageWidth: number, imageHeight: number): Box {
  const x = clamp(request.anchor.x, 0, Math.max(0, imageWidth - request.width));
  const y = clamp(request.anchor.y - request.height, 0, Math.max(0, imageHeight - request.height));
  return roundRect({ x, y, width: request.width, height: request.height });
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function roundRect(box: Box): Box {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
