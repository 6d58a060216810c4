/**
 * Sizes, durations, percentages and counts as people read them in answers, refusals and charts. Where two
 * helpers differ (KiB or not, tenths or whole seconds), each name says how, and callers keep the one they had.
 */

const MIB = 1024 * 1024;

/** Bytes in MiB, one decimal under 10 MiB, however small: `52428800` → `50 MiB`, `1572864` → `1.5 MiB`. */
export function formatMiB(bytes: number): string {
  const mib = bytes / MIB;
  return `${mib >= 10 ? mib.toFixed(0) : mib.toFixed(1)} MiB`;
}

/** As formatMiB, but in KiB (at least 1) under 0.1 MiB: `2048` → `2 KiB`. */
export function formatSize(bytes: number): string {
  if (bytes / MIB < 0.1) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  return formatMiB(bytes);
}

/**
 * Whole seconds from 10 s on, in hours, minutes and seconds with the zero units left out; one decimal under 10 s
 * (none when it is 0): `372.4` → `6 min 12 s`, `300` → `5 min`, `4.2` → `4.2 s`, `3725` → `1 h 2 min 5 s`.
 */
export function formatDurationRounded(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const parts = [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', rest > 0 ? `${rest} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** Always a tenth under a minute, then minutes and seconds (no hours): `12.3 s`, `8.0 s`, `2 min 5 s`, `5 min 0 s`. */
export function formatDurationTenths(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  if (safe < 59.95) return `${safe.toFixed(1)} s`;
  const whole = Math.round(safe);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** As formatDurationTenths under a minute, then a clock: `12.3 s`, `2:05`. Short enough for the end of a bar. */
export function formatDurationClock(seconds: number): string {
  if (!(seconds >= 59.95)) return formatDurationTenths(seconds);
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Milliseconds as whole seconds in words, at least one: `30000` → `30 seconds`, `400` → `1 second`. */
export function formatWholeSeconds(milliseconds: number): string {
  return plural(Math.max(1, Math.round(milliseconds / 1000)), 'second');
}

/** A fraction as a whole percent: `0.914` → `91%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** A recognition's confidence as a whole percent, never 100% (no answer is certain): `0.996` → `99%`. */
export function formatConfidence(confidence: number): string {
  return `${Math.min(99, Math.round(confidence * 100))}%`;
}

/**
 * A percentage (0 to 100, clamped; not a number reads 0) with one decimal under 10 unless whole:
 * `4.25` → `4.3%`, `5` → `5%`, `37.6` → `38%`.
 */
export function formatPercentTenths(percent: number): string {
  const safe = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  return `${safe >= 10 || Number.isInteger(safe) ? String(Math.round(safe)) : safe.toFixed(1)}%`;
}

const englishPlurals = new Intl.PluralRules('en-US');

/** The count and the noun in English's plural rule: `plural(3, 'photo')` → `3 photos`, `plural(1, 'photo')` → `1 photo`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${englishPlurals.select(count) === 'one' ? noun : pluralNoun}`;
}

/** A moment of a clip as a player shows it, to a tenth: `1:05.3`. */
export function formatMoment(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
}
