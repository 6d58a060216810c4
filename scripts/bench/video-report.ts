import type { ReportRow } from './report.ts';
import type { SpeedRun, VideoBench } from './video.ts';

export const VIDEO_TARGETS = { ratio1080: 1.3, ratio720: 1.5, peakMemoryBytes: 1.5 * 2 ** 30, recall: 0.9 } as const;

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (values: readonly number[]): string => values.map((value) => `${value.toFixed(1)} s`).join(', ');
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
const pass = (ok: boolean): ReportRow['result'] => (ok ? 'PASS' : 'MISS');

function speedRow(run: SpeedRun): ReportRow {
  const target = run.height >= 1080 ? VIDEO_TARGETS.ratio1080 : VIDEO_TARGETS.ratio720;
  const first = run.annotate[0]?.json;
  const split = first?.timings ? `; first run: ${Object.entries(first.timings).map(([stage, value]) => `${stage} ${value.toFixed(1)} s`).join(', ')}` : '';
  const frames = first?.analysis ? `; frames analysed ${first.analysis.analysedFrames ?? '?'}, searched for small faces ${first.analysis.sweptFrames ?? '?'}, described ${first.analysis.describedFrames ?? '?'}` : '';
  return {
    measure: `Annotate ${run.height}p30 clip / plain x264 re-encode`,
    value: run.ratio,
    shown: `${run.ratio.toFixed(2)}×`,
    target: `≤ ${target}×`,
    result: pass(run.ratio <= target),
    notes: `${run.clip.seconds.toFixed(1)} s clip, ${run.clip.frames} frames; idolens annotate (whole CLI run) ${seconds(run.annotate.map((entry) => entry.seconds))} vs ffmpeg -preset veryfast -c:a copy ${seconds(run.plainSeconds)}; fastest of each${split}${frames}`,
  };
}

function recallRows(bench: VideoBench): ReportRow[] {
  const { crowd, vertical, wideShot } = bench.recall;
  const wide = wideShot.score;
  const wideRecall = wide.faces === 0 ? 0 : wide.boxed / wide.faces;
  return [
    {
      measure: 'Crowd clip (1080p): faces ≥ 40 px boxed',
      value: crowd.recall.recall, shown: percent(crowd.recall.recall), target: `≥ ${VIDEO_TARGETS.recall * 100}%`, result: pass(crowd.recall.recall >= VIDEO_TARGETS.recall),
      notes: `${crowd.recall.boxed} of ${crowd.recall.faces} faces the accurate detector finds on full-size frames (5 per second, ${crowd.recall.framesChecked} frames); ${crowd.run.seconds.toFixed(1)} s for the ${crowd.run.json.durationSeconds.toFixed(1)} s clip`,
    },
    {
      measure: 'Crowd clip cut to 9:16 (1080×1920): faces boxed',
      value: vertical.recall.recall, shown: percent(vertical.recall.recall), target: `≥ ${VIDEO_TARGETS.recall * 100}%, upright`, result: pass(vertical.recall.recall >= VIDEO_TARGETS.recall && vertical.upright),
      notes: `${vertical.recall.boxed} of ${vertical.recall.faces}; output ${vertical.run.json.width}×${vertical.run.json.height}`,
    },
    {
      measure: 'Group photos panning small on a 1080p stage: labelled faces ≥ 40 px boxed',
      value: wideRecall, shown: percent(wideRecall), target: `≥ ${VIDEO_TARGETS.recall * 100}%, no wrong name`, result: pass(wideRecall >= VIDEO_TARGETS.recall && wide.namedWrong === 0),
      notes: `${wide.boxed} of ${wide.faces} labelled heads (blackpink_group_dlcv boxes.csv, 5 checks per second); named right ${wide.namedRight}, wrong ${wide.namedWrong}${wide.wrong.length > 0 ? ` (${wide.wrong.slice(0, 5).join('; ')})` : ''}, unnamed ${wide.boxed - wide.namedRight - wide.namedWrong}`,
    },
  ];
}

export function videoRows(bench: VideoBench): ReportRow[] {
  return [
    ...bench.speed.map(speedRow),
    {
      measure: `Annotate peak memory, ${bench.long.clipSeconds / 60}-minute 1080p clip`,
      value: bench.long.peakRssBytes,
      shown: mib(bench.long.peakRssBytes),
      target: `≤ ${mib(VIDEO_TARGETS.peakMemoryBytes)}`,
      result: pass(bench.long.peakRssBytes <= VIDEO_TARGETS.peakMemoryBytes),
      notes: `RSS of node + workers + ffmpeg summed, sampled every 100 ms; ${bench.long.seconds.toFixed(1)} s for ${bench.long.clipSeconds} s of video; 1080p30 clip run peak ${mib(Math.max(...(bench.speed[0]?.annotate ?? []).map((run) => run.peakRssBytes)))}`,
    },
    {
      measure: 'Audio of the labelled clip = the source\'s',
      value: bench.audioIdentical ? 1 : 0,
      shown: bench.audioIdentical ? 'identical' : 'DIFFERENT',
      target: 'identical',
      result: pass(bench.audioIdentical),
      notes: `MD5 of the decoded audio samples; audio ${bench.speed[0]?.annotate[0]?.json.audio ?? '?'}`,
    },
    ...recallRows(bench),
  ];
}

/** The BLACKPINK ad's screen time per embedder, as a markdown table (the ad shows each member in turn). */
export function screenTimeTable(bench: VideoBench): string {
  const lines = ['BLACKPINK ad, screen time per member (the four shots: Jennie, Lisa, Jisoo, Rosé in turn):', '', '| Embedder | Member | Screen time | Share | First | Last |', '|---|---|---|---|---|---|'];
  for (const { embedder, ad } of bench.names) {
    if (!ad) continue;
    const { json } = ad;
    const unknown = json.tracks.filter((track) => track.name === null).length;
    lines.push(...json.members.map((entry) => `| ${embedder} | ${entry.name} | ${entry.seconds.toFixed(2)} s | ${entry.percent.toFixed(1)}% | ${entry.first.toFixed(2)} s | ${entry.last.toFixed(2)} s |`));
    lines.push(`| ${embedder} | (unknown tracks) | ${unknown} of ${json.tracks.length} tracks | | | |`);
  }
  return lines.join('\n');
}

/** Names shown on clips of people outside the enrolled group: the target is none. */
export function strangerClipsTable(bench: VideoBench): string {
  const lines = ['Clips of strangers: names shown (target: none)', '', '| Embedder | Group enrolled | Clips | Clips with a name | Names (clip: name from–to s) |', '|---|---|---|---|---|'];
  for (const { embedder, group, strangers } of bench.names) {
    const named = strangers.filter((entry) => entry.named.length > 0);
    const detail = named.flatMap((entry) => entry.named.map((track) => `${entry.clip}: ${track.name} ${track.from.toFixed(1)}–${track.to.toFixed(1)}`)).join('; ');
    lines.push(`| ${embedder} | ${group} | ${strangers.length} | ${named.length} | ${detail || 'none'} |`);
  }
  return lines.join('\n');
}
