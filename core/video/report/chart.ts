import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { formatDurationClock, formatPercentTenths, plural } from '../../format.ts';
import { KNOWN_COLORS, LIGHT_TEXT, colorsForNames } from '../../render/palette.ts';
import { renderText } from '../../render/text.ts';
import type { TextImage } from '../../render/text.ts';
import {
  CHART_DIVIDER_TOP, CHART_KICKER_TOP, CHART_NAME_MAX_WIDTH, CHART_PADDING, CHART_STRIP_HEIGHT, CHART_SUBTITLE_TOP,
  CHART_TITLE_TOP, CHART_WIDTH, barLength, chartLayout,
} from './chart-layout.ts';
import type { ChartLayout, ChartRow } from './chart-layout.ts';
import type { ScreenTimeEntry } from '../types.ts';

export interface ScreenTimeChartInput {
  /** The group's name (or any heading); drawn large under a small "SCREEN TIME" line. */
  title: string;
  entries: readonly ScreenTimeEntry[];
  durationSeconds: number;
  /** Bar colour per member; by default the palette's, so charts, photos and clips agree. */
  colors?: ReadonlyMap<string, string>;
}

const BACKGROUND_TOP = '#1D2230';
const BACKGROUND_BOTTOM = '#12151D';
const DIVIDER = '#2C3344';
const PANEL = '#1A1F2B';
const MUTED_TEXT = '#9AA3B5';
const FAINT_TEXT = '#6B7487';
const KICKER_TEXT = '#C8CEDA';
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A PNG bar chart of who was on screen for how long, longest first: shareable, readable on a phone. */
export async function renderScreenTimeChart(input: ScreenTimeChartInput): Promise<Buffer> {
  const entries = [...input.entries].sort((a, b) => b.seconds - a.seconds);
  const names = await Promise.all(
    entries.map((entry) => renderText({ text: entry.name, pixels: 28, color: LIGHT_TEXT, maxWidth: CHART_NAME_MAX_WIDTH, minPixels: 22 })),
  );
  const layout = chartLayout(entries.length, Math.max(0, ...names.map((name) => name.width)));
  const colors = barColors(entries, input.colors);

  const overlays: OverlayOptions[] = [
    ...(await header(input.title, entries.length, input.durationSeconds)),
    ...(await footer(layout)),
  ];
  if (layout.emptyPanel !== undefined) overlays.push(...(await emptyMessage(layout)));
  const leader = entries[0]?.seconds ?? 0;
  const rows = await Promise.all(
    entries.map((entry, index) => {
      const row = layout.rows[index];
      const name = names[index];
      return row === undefined || name === undefined ? [] : rowOverlays(entry, index + 1, name, row, layout, leader);
    }),
  );
  overlays.push(...rows.flat());

  return sharp(Buffer.from(backgroundSvg(entries, colors, layout)))
    .composite(overlays)
    .png()
    .toBuffer();
}

/** Gradient card, the share strip along the top, the divider under the heading, and every bar, as one SVG. */
function backgroundSvg(entries: readonly ScreenTimeEntry[], colors: readonly string[], layout: ChartLayout): string {
  const { width, height } = layout;
  const total = entries.reduce((sum, entry) => sum + Math.max(0, entry.seconds), 0);
  let stripX = 0;
  const strip = entries.map((entry, index) => {
    const stripWidth = total > 0 ? (Math.max(0, entry.seconds) / total) * width : 0;
    const rect = `<rect x="${stripX.toFixed(2)}" y="0" width="${stripWidth.toFixed(2)}" height="${CHART_STRIP_HEIGHT}" fill="${colors[index] ?? MUTED_TEXT}"/>`;
    stripX += stripWidth;
    return rect;
  });
  const bars = entries.map((entry, index) => {
    const row = layout.rows[index];
    if (row === undefined) return '';
    const bar = row.bar;
    const length = barLength(entry.seconds, entries[0]?.seconds ?? 0, bar);
    return `<rect x="${bar.x}" y="${bar.y}" width="${length}" height="${bar.height}" rx="${bar.height / 2}" fill="url(#bar${index})"/>`;
  });
  const gradients = colors.map(
    (color, index) =>
      `<linearGradient id="bar${index}" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="${color}" stop-opacity="0.72"/><stop offset="1" stop-color="${color}"/></linearGradient>`,
  );
  const panel = layout.emptyPanel;
  const emptyPanel =
    panel === undefined
      ? ''
      : `<rect x="${panel.x}" y="${panel.y}" width="${panel.width}" height="${panel.height}" rx="24" fill="${PANEL}" stroke="${DIVIDER}" stroke-width="2" stroke-dasharray="10 8"/>`;
  const topStrip = strip.length > 0 ? strip.join('') : `<rect width="${width}" height="${CHART_STRIP_HEIGHT}" fill="${DIVIDER}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>` +
    `<linearGradient id="card" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${BACKGROUND_TOP}"/><stop offset="1" stop-color="${BACKGROUND_BOTTOM}"/></linearGradient>` +
    `${gradients.join('')}</defs><rect width="${width}" height="${height}" fill="url(#card)"/>${topStrip}` +
    `<rect x="${CHART_PADDING}" y="${CHART_DIVIDER_TOP}" width="${width - 2 * CHART_PADDING}" height="2" fill="${DIVIDER}"/>` +
    `${emptyPanel}${bars.join('')}</svg>`
  );
}

async function header(title: string, members: number, durationSeconds: number): Promise<OverlayOptions[]> {
  const maxWidth = CHART_WIDTH - 2 * CHART_PADDING;
  const who = members === 0 ? 'nobody recognised' : `${plural(members, 'member')} on screen`;
  const [kicker, heading, subtitle] = await Promise.all([
    renderText({ text: 'SCREEN TIME', pixels: 22, color: KICKER_TEXT, maxWidth }),
    renderText({ text: title.trim() === '' ? 'Screen time' : title, pixels: 54, color: LIGHT_TEXT, maxWidth, minPixels: 34 }),
    renderText({ text: `${formatDurationClock(durationSeconds)} clip  ·  ${who}`, pixels: 26, color: MUTED_TEXT, maxWidth }),
  ]);
  return [
    { input: kicker.png, left: CHART_PADDING, top: CHART_KICKER_TOP },
    { input: heading.png, left: CHART_PADDING, top: CHART_TITLE_TOP },
    { input: subtitle.png, left: CHART_PADDING, top: CHART_SUBTITLE_TOP },
  ];
}

async function rowOverlays(entry: ScreenTimeEntry, rank: number, name: TextImage, row: ChartRow, layout: ChartLayout, leader: number): Promise<OverlayOptions[]> {
  const [rankText, seconds, percent] = await Promise.all([
    renderText({ text: String(rank), pixels: 24, color: FAINT_TEXT, maxWidth: 44 }),
    renderText({ text: formatDurationClock(entry.seconds), pixels: 28, color: LIGHT_TEXT, maxWidth: 150 }),
    renderText({ text: formatPercentTenths(entry.percent), pixels: 24, color: MUTED_TEXT, maxWidth: 80 }),
  ]);
  const valueX = row.bar.x + barLength(entry.seconds, leader, row.bar) + 18;
  const [rankTop, nameTop, secondsTop, percentTop] = await Promise.all(
    [rankText, name, seconds, percent].map((text) => textTopOnRow(text, row.centreY)),
  );
  return [
    { input: rankText.png, left: CHART_PADDING, top: rankTop ?? 0 },
    { input: name.png, left: layout.nameX + layout.nameWidth - name.width, top: nameTop ?? 0 },
    { input: seconds.png, left: valueX, top: secondsTop ?? 0 },
    { input: percent.png, left: valueX + seconds.width + 14, top: percentTop ?? 0 },
  ];
}

/**
 * Where a text image goes so it sits on the row's centre line. Text images are cropped to their ink, so
 * centring "Jennie" (its J dips below the baseline) would lift it above "Lisa". Plain Latin text is placed by
 * its capital height instead, which keeps every baseline level; other scripts, and capitals carrying
 * accents, are centred by their ink.
 */
async function textTopOnRow(text: TextImage, centreY: number): Promise<number> {
  const decomposed = text.text.normalize('NFD');
  const plainLatin = /^[\p{Script=Latin}\p{N}\p{P}\p{S}\p{Zs}]*$/u.test(decomposed.replace(/\p{M}/gu, '')) && !/\p{Lu}\p{M}/u.test(decomposed);
  if (!plainLatin) return centredOn(centreY, text.height);
  return centredOn(centreY, await capitalHeight(text.pixels));
}

const capitalHeights = new Map<number, Promise<number>>();

function capitalHeight(pixels: number): Promise<number> {
  let height = capitalHeights.get(pixels);
  if (height === undefined) {
    height = renderText({ text: 'H', pixels, color: LIGHT_TEXT, maxWidth: 4 * pixels }).then((image) => image.height);
    capitalHeights.set(pixels, height);
    height.catch(() => capitalHeights.delete(pixels));
  }
  return height;
}

async function emptyMessage(layout: ChartLayout): Promise<OverlayOptions[]> {
  const panel = layout.emptyPanel;
  if (panel === undefined) return [];
  const [headline, detail] = await Promise.all([
    renderText({ text: 'Nobody recognised', pixels: 38, color: LIGHT_TEXT, maxWidth: panel.width - 48 }),
    renderText({ text: 'No enrolled member was found on screen in this clip.', pixels: 24, color: MUTED_TEXT, maxWidth: panel.width - 48 }),
  ]);
  const gap = 18;
  const top = panel.y + Math.round((panel.height - headline.height - gap - detail.height) / 2);
  return [
    { input: headline.png, left: panel.x + Math.round((panel.width - headline.width) / 2), top },
    { input: detail.png, left: panel.x + Math.round((panel.width - detail.width) / 2), top: top + headline.height + gap },
  ];
}

async function footer(layout: ChartLayout): Promise<OverlayOptions[]> {
  const text = await renderText({ text: 'idolens', pixels: 20, color: FAINT_TEXT, maxWidth: 300 });
  return [{ input: text.png, left: CHART_WIDTH - CHART_PADDING - text.width, top: layout.footerTop + Math.round((layout.height - layout.footerTop - text.height) / 2) }];
}

/** Each entry's colour: the caller's when it is a plain hex colour, else the shared palette's. */
function barColors(entries: readonly ScreenTimeEntry[], given: ReadonlyMap<string, string> | undefined): string[] {
  const palette = colorsForNames(entries.map((entry) => entry.name));
  return entries.map((entry) => {
    const chosen = given?.get(entry.name);
    if (chosen !== undefined && HEX_COLOR.test(chosen)) return chosen;
    return palette.get(entry.name) ?? KNOWN_COLORS[0] ?? MUTED_TEXT;
  });
}

function centredOn(centreY: number, height: number): number {
  return Math.max(0, Math.round(centreY - height / 2));
}
