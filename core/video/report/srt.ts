import { oneLineName } from './summary.ts';
import type { TimelineSegment } from '../types.ts';

/**
 * The timeline as a SubRip subtitle file: one cue per stretch, numbered from 1, with the names on screen
 * joined by ", ". Stretches whose names are all blank, or that last under a millisecond, get no cue.
 * Empty when there is nothing to show; otherwise ends with a newline.
 */
export function toSrt(segments: readonly TimelineSegment[]): string {
  const cues: string[] = [];
  for (const segment of segments) {
    const start = toMilliseconds(segment.from);
    const end = toMilliseconds(segment.to);
    const text = cueText(segment.names);
    if (end <= start || text === '') continue;
    cues.push(`${cues.length + 1}\n${srtTimestamp(start)} --> ${srtTimestamp(end)}\n${text}\n`);
  }
  return cues.join('\n');
}

/** `HH:MM:SS,mmm` for a whole number of milliseconds (hours keep growing past 99). */
export function srtTimestamp(milliseconds: number): string {
  const total = Math.max(0, Math.round(milliseconds));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const millis = total % 1000;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)},${pad(millis, 3)}`;
}

function cueText(names: readonly string[]): string {
  // "-->" on a text line would read as a timing line to some parsers.
  return names.map((name) => oneLineName(name).replaceAll('-->', '->')).filter((name) => name !== '').join(', ');
}

function toMilliseconds(seconds: number): number {
  return Number.isFinite(seconds) ? Math.max(0, Math.round(seconds * 1000)) : 0;
}

function pad(value: number, digits: number): string {
  return String(value).padStart(digits, '0');
}
