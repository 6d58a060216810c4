/** The stretches of a clip where one member is on screen: her tracks, padded, merged where they meet. */
import type { VideoTrack } from '../types.ts';

export interface Stretch {
  from: number;
  to: number;
}

const round = (seconds: number): number => Number(seconds.toFixed(3));

/** In time order; `padSeconds` before and after each, within the clip; stretches that touch or overlap are one. */
export function memberStretches(tracks: readonly VideoTrack[], member: string, padSeconds: number, durationSeconds: number): Stretch[] {
  const spans = tracks
    .filter((track) => track.name === member)
    .map((track) => ({ from: Math.max(0, track.from - padSeconds), to: Math.min(durationSeconds, track.to + padSeconds) }))
    .filter((span) => span.to > span.from)
    .sort((a, b) => a.from - b.from);
  const merged: Stretch[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last !== undefined && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged.map((stretch) => ({ from: round(stretch.from), to: round(stretch.to) }));
}

export function totalSeconds(stretches: readonly Stretch[]): number {
  return round(stretches.reduce((sum, stretch) => sum + stretch.to - stretch.from, 0));
}
