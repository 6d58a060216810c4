import type { Box } from '../../types.ts';
import { assNumber } from './ass-text.ts';

/**
 * A face outline as ASS rectangles. Each side is its own thin rectangle (ffmpeg blends an image's whole bounding
 * box, so four thin sides cost a fraction of one stroked rectangle the size of the face).
 */
export interface OutlineBands {
  /** The coloured stroke, `thickness` wide just outside the box: top, bottom, left, right. */
  stroke: Box[];
  /** A faint band `halo` wide on both sides of the stroke, in four pieces that do not overlap. */
  halo: Box[];
}


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

/**
 * Override tags and drawing for a rectangle on `from` that moves and resizes linearly into `to` over its event: one
 * frame-sized drawing, shown through a rectangular clip that libass animates with \t. The drawing never changes,
 * so libass rasterises it once for the whole clip; a moving, resizing drawing would be rasterised again on every
 * frame (measured: the outlines then cost as much CPU as all the rest of the overlay). libass places clip edges
 * on whole pixels (within a pixel of the exact path, always on the same side of it).
 */
export function rectangleDrawing(from: Box, to: Box, overrides: string, frame: { width: number; height: number }): string {
  const clip = (box: Box): string => [box.x, box.y, box.x + box.width, box.y + box.height].map((value) => Math.round(value)).join(',');
  const animation = clip(from) === clip(to) ? '' : `\\t(\\clip(${clip(to)}))`;
  return `{\\pos(0,0)\\clip(${clip(from)})${animation}${overrides}\\p1}m 0 0 l ${frame.width} 0 ${frame.width} ${frame.height} 0 ${frame.height}`;
}

/** `\pos` when the point stands still, else `\move` over the whole event. */
export function motion(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const [x1, y1, x2, y2] = [from.x, from.y, to.x, to.y].map(assNumber);
  return x1 === x2 && y1 === y2 ? `\\pos(${x1},${y1})` : `\\move(${x1},${y1},${x2},${y2})`;
}
