import type { Box } from './types.ts';

/** The same box in a picture `scale` times the size (coordinates and size multiplied). */
export function scaleBox(box: Box, scale: number): Box {
  return { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}
