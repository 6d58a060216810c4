import type { ReportRow } from './report.ts';
import type { VideoBench } from './video.ts';

export const VIDEO_TARGETS = { annotateRatio: 1.5, peakMemoryBytes: 1.5 * 2 ** 30 } as const;

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (values: readonly number[]): string => values.map((value) => `${value.toFixed(1)} s`).join(', ');

export function videoRows(bench: VideoBench): ReportRow[] {
  const annotateSeconds = bench.annotate.map((run) => run.seconds);
  const timings = bench.annotate[0]?.json.timings;
  const split = timings ? `; first run: ${Object.entries(timings).map(([stage, value]) => `${stage} ${value.toFixed(1)} s`).join(', ')}` : '';
  return [
    {
      measure: 'Annotate 1080p30 clip / plain x264 re-encode',
      value: bench.ratio,
      shown: `${bench.ratio.toFixed(2)}×`,
      target: `≤ ${VIDEO_TARGETS.annotateRatio}×`,
      result: bench.ratio <= VIDEO_TARGETS.annotateRatio ? 'PASS' : 'MISS',
      notes: `${bench.clip.seconds.toFixed(1)} s clip, ${bench.clip.frames} frames; idolens annotate (whole CLI run) ${seconds(annotateSeconds)} vs ffmpeg -preset veryfast -c:a copy ${seconds(bench.plainSeconds)}; fastest of each${split}`,
    },
    {
      measure: 'Annotate peak memory, 3-minute 1080p clip',
      value: bench.long.peakRssBytes,
      shown: mib(bench.long.peakRssBytes),
      target: `≤ ${mib(VIDEO_TARGETS.peakMemoryBytes)}`,
      result: bench.long.peakRssBytes <= VIDEO_TARGETS.peakMemoryBytes ? 'PASS' : 'MISS',
      notes: `RSS of node + workers + ffmpeg summed, sampled every 100 ms; ${bench.long.seconds.toFixed(1)} s for ${bench.long.clipSeconds} s of video; 1080p30 clip run peak ${mib(Math.max(...bench.annotate.map((run) => run.peakRssBytes)))}`,
    },
    {
      measure: 'Audio of the labelled clip = the source\'s',
      value: bench.audioIdentical ? 1 : 0,
      shown: bench.audioIdentical ? 'identical' : 'DIFFERENT',
      target: 'identical',
      result: bench.audioIdentical ? 'PASS' : 'MISS',
      notes: `MD5 of the decoded audio samples; audio ${bench.annotate[0]?.json.audio ?? '?'}`,
    },
  ];
}

/** The BLACKPINK ad's screen time per embedder, as a markdown table (the ad shows each member in turn). */
export function screenTimeTable(bench: VideoBench): string {
  const lines = ['BLACKPINK ad, screen time per member (the four shots: Jennie, Lisa, Jisoo, Rosé in turn):', '', '| Embedder | Member | Screen time | Share | First | Last |', '|---|---|---|---|---|---|'];
  for (const { embedder, ad } of bench.names) {
    const { json } = ad;
    const unknown = json.tracks.filter((track) => track.name === null).length;
    lines.push(...json.members.map((entry) => `| ${embedder} | ${entry.name} | ${entry.seconds.toFixed(2)} s | ${entry.percent.toFixed(1)}% | ${entry.first.toFixed(2)} s | ${entry.last.toFixed(2)} s |`));
    lines.push(`| ${embedder} | (unknown tracks) | ${unknown} of ${json.tracks.length} tracks | | | |`);
  }
  return lines.join('\n');
}

/** Names shown on clips of people outside the group: the target is none. */
export function strangerClipsTable(bench: VideoBench): string {
  const lines = ['Clips of strangers (BLACKPINK enrolled): names shown', '', '| Embedder | Clips | Clips with a name | Names (clip: name from–to s) |', '|---|---|---|---|'];
  for (const { embedder, strangers } of bench.names) {
    const named = strangers.filter((entry) => entry.named.length > 0);
    const detail = named.flatMap((entry) => entry.named.map((track) => `${entry.clip}: ${track.name} ${track.from.toFixed(1)}–${track.to.toFixed(1)}`)).join('; ');
    lines.push(`| ${embedder} | ${strangers.length} | ${named.length} | ${detail || 'none'} |`);
  }
  return lines.join('\n');
}
