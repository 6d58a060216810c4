import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { colorsForNames } from '../../core/render/palette.ts';
import { renderScreenTimeChart } from '../../core/video/report/chart.ts';
import { CHART_WIDTH, chartLayout } from '../../core/video/report/chart-layout.ts';
import type { ScreenTimeEntry } from '../../core/video/types.ts';

type Rgb = [number, number, number];

function entry(name: string, seconds: number, durationSeconds = 30): ScreenTimeEntry {
  return { name, seconds, percent: Math.round((seconds / durationSeconds) * 1000) / 10, first: 0, last: seconds };
}

async function decode(png: Buffer): Promise<{ format: string | undefined; width: number; height: number; pixel: (x: number, y: number) => Rgb }> {
  const metadata = await sharp(png).metadata();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number): Rgb => {
    const offset = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[offset] ?? 0, data[offset + 1] ?? 0, data[offset + 2] ?? 0];
  };
  return { format: metadata.format, width: info.width, height: info.height, pixel };
}

function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function assertNear(actual: Rgb, expected: Rgb, what: string): void {
  const difference = Math.max(...actual.map((channel, index) => Math.abs(channel - (expected[index] ?? 0))));
  assert.ok(difference <= 12, `${what}: got ${actual.join(',')}, expected about ${expected.join(',')}`);
}

/** The colour near the right end of row `index`'s bar (where its gradient reaches the full colour). */
function barEndPixel(chart: Awaited<ReturnType<typeof decode>>, rows: number, index: number, barWidth: number): Rgb {
  const row = chartLayout(rows, 0).rows[index];
  assert.ok(row !== undefined);
  return chart.pixel(row.bar.x + barWidth - row.bar.height, row.centreY);
}

test('the chart is a 1200 px wide PNG whose height grows with the members', async () => {
  const heights: number[] = [];
  for (const count of [1, 4, 13]) {
    const entries = Array.from({ length: count }, (_, index) => entry(`M${index}`, 30 - index));
    const chart = await decode(await renderScreenTimeChart({ title: 'BLACKPINK', entries, durationSeconds: 30 }));
    assert.equal(chart.format, 'png');
    assert.equal(chart.width, CHART_WIDTH);
    heights.push(chart.height);
  }
  const [one = 0, four = 0, thirteen = 0] = heights;
  assert.ok(one < four && four < thirteen, `heights ${heights.join(', ')}`);
  assert.ok(thirteen <= 1400, `13 members should still fit a phone screen's scroll, got ${thirteen}`);
});

test('bars are sorted by screen time and drawn in the palette colours that photos and clips use', async () => {
  const entries = [entry('Jisoo', 3), entry('Lisa', 12), entry('Jennie', 8)];
  const chart = await decode(await renderScreenTimeChart({ title: 'BLACKPINK', entries, durationSeconds: 30 }));
  const palette = colorsForNames(['Jisoo', 'Lisa', 'Jennie']);
  const slot = chartLayout(3, 0).rows[0]?.bar.width ?? 0;
  assertNear(barEndPixel(chart, 3, 0, slot), hexToRgb(palette.get('Lisa') ?? ''), 'first bar is Lisa, full length');
  assertNear(barEndPixel(chart, 3, 1, Math.round((slot * 8) / 12)), hexToRgb(palette.get('Jennie') ?? ''), 'second bar is Jennie, 8/12 long');
  const pastJennie = chartLayout(3, 0).rows[1];
  assert.ok(pastJennie !== undefined);
  const background = chart.pixel(pastJennie.bar.x + slot - 4, pastJennie.centreY);
  assert.ok(Math.max(...background) < 60, `Jennie's bar must stop well before the slot's end, got ${background.join(',')}`);
});

test('colours given by the caller win, and a colour that is not plain hex falls back to the palette', async () => {
  const colors = new Map([['Lisa', '#ff0000'], ['Jennie', 'url(#x)']]);
  const entries = [entry('Lisa', 12), entry('Jennie', 12)];
  const chart = await decode(await renderScreenTimeChart({ title: 'BLACKPINK', entries, durationSeconds: 30, colors }));
  const slot = chartLayout(2, 0).rows[0]?.bar.width ?? 0;
  assertNear(barEndPixel(chart, 2, 0, slot), [255, 0, 0], 'Lisa in the caller colour');
  assertNear(barEndPixel(chart, 2, 1, slot), hexToRgb(colorsForNames(['Lisa', 'Jennie']).get('Jennie') ?? ''), 'Jennie in the palette colour');
});

test('a clip where nobody was recognised still gets a card', async () => {
  const chart = await decode(await renderScreenTimeChart({ title: 'TWICE', entries: [], durationSeconds: 12.5 }));
  assert.equal(chart.width, CHART_WIDTH);
  assert.equal(chart.height, chartLayout(0, 0).height);
  const panel = chartLayout(0, 0).emptyPanel;
  assert.ok(panel !== undefined);
  const lightPixels = lightPixelsIn(chart, panel.x, panel.y, panel.width, panel.height);
  assert.ok(lightPixels > 800, `the "nobody recognised" message should be drawn in the panel (${lightPixels} light pixels)`);
});

test('Hangul, markup characters and very long names render inside the name column', async () => {
  const entries = [entry('제니', 10), entry('<b>&amp;</b>', 6), entry('Jennie Kim '.repeat(20), 4), entry('로제\n', 1)];
  const png = await renderScreenTimeChart({ title: '블랙핑크', entries, durationSeconds: 30 });
  const chart = await decode(png);
  assert.equal(chart.width, CHART_WIDTH);
  const layout = chartLayout(4, Number.POSITIVE_INFINITY);
  assert.equal(chart.height, layout.height);
  const [hangulRow, , longRow] = layout.rows;
  assert.ok(hangulRow !== undefined && longRow !== undefined);
  assert.ok(hangulRow.bar.width >= CHART_WIDTH / 3, `a long name must not squeeze the bars (slot ${hangulRow.bar.width} px)`);
  const palette = colorsForNames(entries.map((item) => item.name));
  // The long name is capped at the widest name column, so every bar starts where that column ends.
  assertNear(chart.pixel(hangulRow.bar.x + hangulRow.bar.width - hangulRow.bar.height, hangulRow.centreY), hexToRgb(palette.get('제니') ?? ''), 'the leader bar');
  assert.ok(Math.max(...chart.pixel(longRow.bar.x - 6, longRow.bar.y + 2)) < 60, 'the gap before the bar stays clear of the ellipsised name');
  assert.ok(lightPixelsIn(chart, layout.nameX, hangulRow.bar.y, layout.nameWidth, hangulRow.bar.height) > 40, 'the Hangul name has ink');
});

function lightPixelsIn(chart: Awaited<ReturnType<typeof decode>>, left: number, top: number, width: number, height: number): number {
  let light = 0;
  for (let x = left; x < left + width; x += 1) {
    for (let y = top; y < top + height; y += 1) if (Math.min(...chart.pixel(x, y)) > 200) light += 1;
  }
  return light;
}
