import type { Box } from '../../types.ts';

export const CHART_WIDTH = 1200;
export const CHART_PADDING = 64;
/** The coloured strip along the top edge (members' shares of the screen time). */
export const CHART_STRIP_HEIGHT = 10;
export const CHART_KICKER_TOP = 52;
export const CHART_TITLE_TOP = 84;
export const CHART_SUBTITLE_TOP = 152;
export const CHART_DIVIDER_TOP = 206;
export const CHART_BODY_TOP = 238;
/** Height of the message panel of a chart with nobody in it. */
export const CHART_EMPTY_HEIGHT = 220;
export const CHART_FOOTER_HEIGHT = 88;
export const CHART_RANK_WIDTH = 52;
export const CHART_NAME_GAP = 24;
/** Room kept right of the longest bar for its "12.3 s  41%" label. */
export const CHART_VALUE_WIDTH = 230;
export const CHART_NAME_MIN_WIDTH = 140;
export const CHART_NAME_MAX_WIDTH = 300;

/** Rows get a little tighter past a dozen members so big groups stay shareable. */
const ROOMY_ROWS = 12;

export interface ChartRow {
  /** The bar's slot: `x`, vertical position and height of the bar; `width` is the longest a bar may be. */
  bar: Box;
  /** Vertical centre of the row, where the rank, name and value are centred. */
  centreY: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  rowHeight: number;
  nameX: number;
  nameWidth: number;
  rows: ChartRow[];
  /** The panel holding the "nobody recognised" message, when there are no rows. */
  emptyPanel: Box | undefined;
  footerTop: number;
}

/** Where everything goes on a chart of `entryCount` members whose widest name is `widestName` px. */
export function chartLayout(entryCount: number, widestName: number): ChartLayout {
  const count = Math.max(0, Math.floor(entryCount));
  const rowHeight = count > ROOMY_ROWS ? 58 : 70;
  const barHeight = count > ROOMY_ROWS ? 34 : 42;
  const nameX = CHART_PADDING + CHART_RANK_WIDTH;
  const nameWidth = Math.round(Math.min(CHART_NAME_MAX_WIDTH, Math.max(CHART_NAME_MIN_WIDTH, widestName)));
  const barX = nameX + nameWidth + CHART_NAME_GAP;
  const barMaxWidth = CHART_WIDTH - CHART_PADDING - CHART_VALUE_WIDTH - barX;
  const rows = Array.from({ length: count }, (_, index): ChartRow => {
    const centreY = CHART_BODY_TOP + index * rowHeight + rowHeight / 2;
    return { centreY, bar: { x: barX, y: Math.round(centreY - barHeight / 2), width: barMaxWidth, height: barHeight } };
  });
  const bodyHeight = count === 0 ? CHART_EMPTY_HEIGHT : count * rowHeight;
  const emptyPanel = count === 0 ? { x: CHART_PADDING, y: CHART_BODY_TOP, width: CHART_WIDTH - 2 * CHART_PADDING, height: CHART_EMPTY_HEIGHT } : undefined;
  const footerTop = CHART_BODY_TOP + bodyHeight;
  return { width: CHART_WIDTH, height: footerTop + CHART_FOOTER_HEIGHT, rowHeight, nameX, nameWidth, rows, emptyPanel, footerTop };
}

/** How long a member's bar is: proportional to the leader's, never so short that its rounded ends vanish. */
export function barLength(seconds: number, leaderSeconds: number, slot: Box): number {
  const share = leaderSeconds > 0 ? Math.min(1, Math.max(0, seconds / leaderSeconds)) : 0;
  return Math.max(slot.height, Math.round(share * slot.width));
}
