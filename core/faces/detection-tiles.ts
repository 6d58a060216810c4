import { overlapArea } from '../box.ts';
import type { Box } from '../types.ts';

/** A stretch of the raster the detector looks at, scaled to its input. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Whether each side lies inside the raster (another tile covers what it cuts), rather than on its edge. */
  inner: { left: boolean; top: boolean; right: boolean; bottom: boolean };
}

export interface TileDetection {
  /** In raster pixels. */
  box: Box;
  score: number;
}

/** Neighbouring tiles overlap by this share of a tile, so a face cut by one tile's edge is whole in the next. */
const OVERLAP = 0.25;
/** A detection this close (raster pixels) to a tile's inner edge is a face cut in two: the neighbour has it whole. */
const EDGE_MARGIN = 2;
/** Two boxes are one face when they overlap this much (intersection over union), or one lies mostly inside the other. */
const SAME_FACE_IOU = 0.3;
const SAME_FACE_INSIDE = 0.6;

/** Starts of `count` windows of `length` spread evenly over `total` (one window when it fits). */
function starts(total: number, length: number): number[] {
  if (length >= total) return [0];
  const count = Math.ceil((total - length) / (length * (1 - OVERLAP))) + 1;
  return Array.from({ length: count }, (_, index) => (index * (total - length)) / (count - 1));
}

/**
 * The whole raster once, padded to the detector's aspect ratio (it finds faces from about a tenth of the frame's
 * height up), then, when `windowHeight` is given, windows of that height at the detector's aspect ratio over it,
 * overlapping, for faces down to a tenth of the window's height.
 */
export function planTiles(width: number, height: number, aspect: number, windowHeight?: number): Tile[] {
  const wholeWidth = Math.max(width, height * aspect);
  const wholeHeight = wholeWidth / aspect;
  const whole: Tile = { x: (width - wholeWidth) / 2, y: (height - wholeHeight) / 2, width: wholeWidth, height: wholeHeight, inner: { left: false, top: false, right: false, bottom: false } };
  if (windowHeight === undefined) return [whole];
  const tileHeight = Math.min(height, windowHeight);
  const tileWidth = Math.min(width, windowHeight * aspect);
  if (tileHeight >= height && tileWidth >= width) return [whole];
  const tiles: Tile[] = [whole];
  for (const y of starts(height, tileHeight)) {
    for (const x of starts(width, tileWidth)) {
      tiles.push({ x, y, width: tileWidth, height: tileHeight, inner: { left: x > 0, top: y > 0, right: x + tileWidth < width, bottom: y + tileHeight < height } });
    }
  }
  return tiles;
}

/** Whether a detection in this tile is cut by one of its inner edges (and so found whole by a neighbour). */
export function cutByTileEdge(tile: Tile, box: Box): boolean {
  const { inner } = tile;
  return (inner.left && box.x <= tile.x + EDGE_MARGIN)
    || (inner.top && box.y <= tile.y + EDGE_MARGIN)
    || (inner.right && box.x + box.width >= tile.x + tile.width - EDGE_MARGIN)
    || (inner.bottom && box.y + box.height >= tile.y + tile.height - EDGE_MARGIN);
}

function sameFace(a: Box, b: Box): boolean {
  const shared = overlapArea(a, b);
  if (shared === 0) return false;
  const areaA = a.width * a.height;
  const areaB = b.width * b.height;
  return shared / (areaA + areaB - shared) >= SAME_FACE_IOU || shared / Math.min(areaA, areaB) >= SAME_FACE_INSIDE;
}

/** One detection per face: the most confident of those that are the same face (greedy non-maximum suppression). */
export function mergeDetections(detections: readonly TileDetection[]): TileDetection[] {
  const kept: TileDetection[] = [];
  for (const detection of [...detections].sort((a, b) => b.score - a.score)) {
    if (kept.every((other) => !sameFace(other.box, detection.box))) kept.push(detection);
  }
  return kept;
}
