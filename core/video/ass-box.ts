import type { Box } from '../types.ts';
import { assNumber } from './ass-text.ts';

/**
 * A face outline as ASS drawings. Each side is its own thin filled rectangle: libass re-rasterises a moving,
 * resizing drawing on every frame and ffmpeg blends its whole bounding box, so four thin sides cost about a third
 * of one stroked rectangle the size of the face (and a stroked shape leaves a faint seam inside its border).
 */
export interface OutlineBands {
  /** The coloured stroke, `thickness` wide just outside the box: top, bottom, left, right. */
  stroke: Box[];
  /** A faint band `halo` wide on both sides of the stroke, in four pieces that do not overlap. */
  halo: Box[];
}

/** The unit square every rectangle is drawn from, stretched with \fscx/\fscy (which libass animates with \t). */
const UNIT_SQUARE = 'm 0 0 l 100 0 100 100 0 100';

export function outlineBands(box: Box, thickness: number, halo: number): OutlineBands {
  const t = thickness;
  const outerWidth = box.width + 2 * t;
  const band = t + 2 * halo;
  return {
    stroke: [
      { x: box.x - t, y: box.y - t, width: outerWidth, height: t },
      { x: box.x - t, y: box.y + box.height, width: outerWidth, height: t },
      { x: box.x - t, y: box.y, width: t, height: box.height },
      { x: box.x + box.width, y: box.y, width: t, height: box.height },
    ],
    halo: [
      { x: box.x - t - halo, y: box.y - t - halo, width: outerWidth + 2 * halo, height: band },
      { x: box.x - t - halo, y: box.y + box.height - halo, width: outerWidth + 2 * halo, height: band },
      { x: box.x - t - halo, y: box.y + halo, width: band, height: Math.max(0, box.height - 2 * halo) },
      { x: box.x + box.width - halo, y: box.y + halo, width: band, height: Math.max(0, box.height - 2 * halo) },
    ],
  };
}

/** Override tags and drawing for a rectangle placed on `from` that moves and resizes linearly into `to` over its event. */
export function rectangleDrawing(from: Box, to: Box, overrides: string): string {
  const size = (box: Box): string => `\\fscx${assNumber(box.width)}\\fscy${assNumber(box.height)}`;
  const resize = size(from) === size(to) ? '' : `\\t(${size(to)})`;
  return `{${motion(from, to)}${size(from)}${resize}${overrides}\\p1}${UNIT_SQUARE}`;
}

/** `\pos` when the point stands still, else `\move` over the whole event. */
export function motion(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const [x1, y1, x2, y2] = [from.x, from.y, to.x, to.y].map(assNumber);
  return x1 === x2 && y1 === y2 ? `\\pos(${x1},${y1})` : `\\move(${x1},${y1},${x2},${y2})`;
}
