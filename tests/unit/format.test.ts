import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDurationClock, formatDurationRounded, formatDurationTenths, formatMiB, formatPercent, formatPercentTenths, formatSize,
  formatWholeSeconds, plural,
} from '../../core/format.ts';

test('sizes: formatSize falls back to KiB for small files, formatMiB never does', () => {
  assert.equal(formatSize(50 * 1024 * 1024), '50 MiB');
  assert.equal(formatSize(1.5 * 1024 * 1024), '1.5 MiB');
  assert.equal(formatSize(2048), '2 KiB');
  assert.equal(formatSize(10), '1 KiB');
  assert.equal(formatMiB(50 * 1024 * 1024), '50 MiB');
  assert.equal(formatMiB(2048), '0.0 MiB');
});

test('durations: rounded for limits, tenths for screen time, a clock at the end of a chart bar', () => {
  assert.equal(formatDurationRounded(4), '4 s');
  assert.equal(formatDurationRounded(12.3), '12 s');
  assert.equal(formatDurationRounded(300), '5 min');
  assert.equal(formatDurationRounded(3725), '1 h 2 min 5 s');
  assert.equal(formatDurationTenths(4), '4.0 s');
  assert.equal(formatDurationTenths(12.3), '12.3 s');
  assert.equal(formatDurationTenths(300), '5 min 0 s');
  assert.equal(formatDurationTenths(3725), '62 min 5 s');
  assert.equal(formatDurationTenths(Number.NaN), '0.0 s');
  assert.equal(formatDurationClock(12.3), '12.3 s');
  assert.equal(formatDurationClock(125.4), '2:05');
  assert.equal(formatWholeSeconds(30_000), '30 seconds');
  assert.equal(formatWholeSeconds(400), '1 second');
});

test('percentages: a fraction as a whole percent, a percentage with a tenth under 10', () => {
  assert.equal(formatPercent(0.914), '91%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercentTenths(4.25), '4.3%');
  assert.equal(formatPercentTenths(5), '5%');
  assert.equal(formatPercentTenths(37.6), '38%');
  assert.equal(formatPercentTenths(140), '100%');
});

test('plural: the count and its noun', () => {
  assert.equal(plural(1, 'photo'), '1 photo');
  assert.equal(plural(0, 'photo'), '0 photos');
  assert.equal(plural(3, 'unknown face'), '3 unknown faces');
  assert.equal(plural(2, 'process', 'processes'), '2 processes');
});
