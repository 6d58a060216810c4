import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDurationClock, formatDurationRounded, formatDurationTenths, formatMiB, formatPercent, formatPercentTenths, formatSize,
  formatMoment, formatWholeSeconds, plural,
} from '../../core/format.ts';

/** Each helper with the inputs it is given and the text it must give back, exactly. */
function expect<Input>(format: (input: Input) => string, cases: readonly (readonly [Input, string])[]): void {
  for (const [input, text] of cases) assert.equal(format(input), text, `${format.name}(${String(input)})`);
}

const MiB = 1024 * 1024;

test('sizes: formatSize falls back to KiB for small files, formatMiB never does', () => {
  expect(formatSize, [[50 * MiB, '50 MiB'], [1.5 * MiB, '1.5 MiB'], [2048, '2 KiB'], [10, '1 KiB']]);
  expect(formatMiB, [[50 * MiB, '50 MiB'], [2048, '0.0 MiB']]);
});

test('durations: rounded for limits, tenths for screen time, a clock at the end of a chart bar', () => {
  expect(formatDurationRounded, [[4, '4 s'], [12.3, '12 s'], [300, '5 min'], [3725, '1 h 2 min 5 s']]);
  expect(formatDurationTenths, [[4, '4.0 s'], [12.3, '12.3 s'], [300, '5 min 0 s'], [3725, '62 min 5 s'], [Number.NaN, '0.0 s']]);
  expect(formatDurationClock, [[12.3, '12.3 s'], [125.4, '2:05']]);
  expect(formatWholeSeconds, [[30_000, '30 seconds'], [400, '1 second']]);
  expect(formatMoment, [[1.34, '0:01.3'], [65.3, '1:05.3']]);
});

test('percentages: a fraction as a whole percent, a percentage with a tenth under 10', () => {
  expect(formatPercent, [[0.914, '91%'], [1, '100%']]);
  expect(formatPercentTenths, [[4.25, '4.3%'], [5, '5%'], [37.6, '38%'], [140, '100%']]);
});

test('plural: the count and its noun', () => {
  expect(([count, noun, many]: [number, string, string?]) => plural(count, noun, many), [
    [[1, 'photo'], '1 photo'], [[0, 'photo'], '0 photos'], [[3, 'unknown face'], '3 unknown faces'], [[2, 'process', 'processes'], '2 processes'],
  ]);
});
