import type { Box } from '../types.ts';

export const SHEET_TILE_SIZE = 128;
export const SHEET_MAX_COLUMNS = 6;
export const SHEET_GAP = 10;
export const SHEET_MARGIN = 16;
export const SHEET_TITLE_HEIGHT = 56;
export const SHEET_CAPTION_HEIGHT = 22;
/** Wide enough for a readable title even with a single tile. */
export const SHEET_MIN_WIDTH = 420;
/** Height of the message area of a sheet without tiles. */
export const SHEET_EMPTY_HEIGHT = 150;

export interface ContactSheetLayout {
  width: number;
  height: number;
  columns: number;
  rows: number;
  /** Where each thumbnail goes, in tile order (the caption, if any, sits just below it). */
  tiles: Box[];
}

/** The grid for `tileCount` tiles: up to six columns of 128 px tiles, centred under a title bar. */
export function contactSheetLayout(tileCount: number, withCaptions: boolean): ContactSheetLayout {
  if (tileCount <= 0) {
    return { width: SHEET_MIN_WIDTH, height: SHEET_TITLE_HEIGHT + SHEET_EMPTY_HEIGHT, columns: 0, rows: 0, tiles: [] };
  }
  const columns = Math.min(SHEET_MAX_COLUMNS, tileCount);
  const rows = Math.ceil(tileCount / columns);
  const cellHeight = SHEET_TILE_SIZE + (withCaptions ? SHEET_CAPTION_HEIGHT : 0);
  const gridWidth = columns * SHEET_TILE_SIZE + (columns - 1) * SHEET_GAP;
  const gridHeight = rows * cellHeight + (rows - 1) * SHEET_GAP;
  const width = Math.max(SHEET_MIN_WIDTH, gridWidth + 2 * SHEET_MARGIN);
  const height = SHEET_TITLE_HEIGHT + gridHeight + 2 * SHEET_MARGIN;
  const left = Math.floor((width - gridWidth) / 2);
  const top = SHEET_TITLE_HEIGHT + SHEET_MARGIN;
  const tiles = Array.from({ length: tileCount }, (_, index) => ({
    x: left + (index % columns) * (SHEET_TILE_SIZE + SHEET_GAP),
    y: top + Math.floor(index / columns) * (cellHeight + SHEET_GAP),
    width: SHEET_TILE_SIZE,
    height: SHEET_TILE_SIZE,
  }));
  return { width, height, columns, rows, tiles };
}
