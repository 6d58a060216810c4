import { formatDurationTenths, plural } from '../../format.ts';
import type { ScreenTimeEntry, TimelineSegment, VideoTrack } from '../types.ts';

/** Timeline stretches shorter than this (seconds) are folded into their neighbour rather than listed. */
export const MIN_SEGMENT_SECONDS = 0.05;
/** How many members the one-line description names before it says "+ N more". */
const DESCRIBED_MEMBERS = 6;

interface Interval {
  from: number;
  to: number;
}

/**
 * Each named member's time on screen: the union of their tracks (overlapping tracks count once), clipped to
 * the clip. Unknown tracks are left out. Sorted by seconds, most first, then by name. Seconds and instants
 * are rounded to 0.01 s, percent to 0.1.
 */
export function screenTime(tracks: readonly VideoTrack[], durationSeconds: number): ScreenTimeEntry[] {
  const intervalsByName = new Map<string, Interval[]>();
  for (const track of tracks) {
    if (track.name === null) continue;
    const interval = clippedInterval(track, durationSeconds);
    if (interval === undefined) continue;
    const intervals = intervalsByName.get(track.name) ?? [];
    intervals.push(interval);
    intervalsByName.set(track.name, intervals);
  }
  const entries = [...intervalsByName].map(([name, intervals]): ScreenTimeEntry => {
    const union = unionOf(intervals);
    const seconds = union.reduce((total, interval) => total + (interval.to - interval.from), 0);
    return {
      name,
      seconds: roundSeconds(seconds),
      percent: percentOf(seconds, durationSeconds),
      first: roundSeconds(union[0]?.from ?? 0),
      last: roundSeconds(union.at(-1)?.to ?? 0),
    };
  });
  return entries.sort((a, b) => b.seconds - a.seconds || compareNames(a.name, b.name));
}

/**
 * The clip cut at every named track's start and end: each stretch lists the members on screen (by name).
 * Stretches with nobody named are dropped, slivers under {@link MIN_SEGMENT_SECONDS} are folded into the
 * stretch before them, and neighbours with the same members are merged. Instants are rounded to 0.01 s.
 */
export function timeline(tracks: readonly VideoTrack[], durationSeconds: number): TimelineSegment[] {
  const named: Array<Interval & { name: string }> = [];
  for (const track of tracks) {
    const interval = track.name === null ? undefined : clippedInterval(track, durationSeconds);
    if (track.name !== null && interval !== undefined) named.push({ ...interval, name: track.name });
  }
  const cuts = [...new Set(named.flatMap((interval) => [interval.from, interval.to]))].sort((a, b) => a - b);
  const raw: TimelineSegment[] = [];
  for (let index = 1; index < cuts.length; index += 1) {
    const from = cuts[index - 1] ?? 0;
    const to = cuts[index] ?? from;
    const names = named.filter((interval) => interval.from <= from && interval.to >= to).map((interval) => interval.name);
    raw.push({ from, to, names: [...new Set(names)].sort(compareNames) });
  }
  return mergeSameNames(foldSlivers(raw))
    .filter((segment) => segment.names.length > 0)
    .map((segment) => ({ from: roundSeconds(segment.from), to: roundSeconds(segment.to), names: segment.names }));
}

/**
 * One short line for a chat caption or a screen reader, e.g.
 * `Lisa 12.3 s (41%), Jennie 8.0 s (27%); 2 unknown people`.
 */
export function describeScreenTime(entries: readonly ScreenTimeEntry[], durationSeconds: number, unknownPeople = 0): string {
  const unknown = unknownPeople > 0 ? plural(unknownPeople, 'unknown person', 'unknown people') : '';
  if (entries.length === 0) {
    const nobody = `Nobody recognised in ${formatDurationTenths(durationSeconds)}`;
    return unknown === '' ? nobody : `${nobody}; ${unknown}`;
  }
  const shown = entries.slice(0, DESCRIBED_MEMBERS).map((entry) => `${oneLineName(entry.name)} ${formatDurationTenths(entry.seconds)} (${Math.round(entry.percent)}%)`);
  const hidden = entries.length - shown.length;
  const members = hidden > 0 ? `${shown.join(', ')} + ${hidden} more` : shown.join(', ');
  return unknown === '' ? members : `${members}; ${unknown}`;
}

/** How many people the unknown tracks are (a stranger's several tracks count once). */
export function countUnknownPeople(tracks: readonly VideoTrack[]): number {
  return new Set(tracks.flatMap((track) => (track.name === null ? [track.unknownPerson ?? `track ${track.id}`] : []))).size;
}

/**
 * A user-supplied name made safe for a single line of text: control characters, line breaks and bidi
 * overrides (which could reorder the rest of the line) become spaces.
 */
export function oneLineName(name: string): string {
  return name.replace(/[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** The one name order used everywhere (matches the palette's colour assignment order). */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b);
}

function clippedInterval(track: VideoTrack, durationSeconds: number): Interval | undefined {
  if (!Number.isFinite(track.from) || !Number.isFinite(track.to)) return undefined;
  const end = Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : Number.POSITIVE_INFINITY;
  const from = Math.max(0, track.from);
  const to = Math.min(end, track.to);
  return to >= from ? { from, to } : undefined;
}

function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const union: Interval[] = [];
  for (const interval of sorted) {
    const last = union.at(-1);
    if (last !== undefined && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
    else union.push({ ...interval });
  }
  return union;
}

/** Slivers join the stretch before them (or, at the very start, the one after), so the timeline keeps no gaps. */
function foldSlivers(segments: readonly TimelineSegment[]): TimelineSegment[] {
  const kept: TimelineSegment[] = [];
  let pendingFrom: number | undefined;
  for (const segment of segments) {
    const previous = kept.at(-1);
    if (segment.to - segment.from >= MIN_SEGMENT_SECONDS) {
      kept.push({ ...segment, from: pendingFrom ?? segment.from });
      pendingFrom = undefined;
    } else if (previous !== undefined) {
      previous.to = segment.to;
    } else {
      pendingFrom ??= segment.from;
    }
  }
  return kept;
}

function mergeSameNames(segments: readonly TimelineSegment[]): TimelineSegment[] {
  const merged: TimelineSegment[] = [];
  for (const segment of segments) {
    const previous = merged.at(-1);
    if (previous !== undefined && previous.to === segment.from && sameNames(previous.names, segment.names)) previous.to = segment.to;
    else merged.push({ ...segment });
  }
  return merged;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

function percentOf(seconds: number, durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.round(Math.min(100, Math.max(0, (seconds / durationSeconds) * 100)) * 10) / 10;
}

function roundSeconds(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
