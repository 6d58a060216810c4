import type { TrackStep } from './tracker.ts';

export interface SamplerOptions {
  /** Seconds between detections while nothing changes. */
  calmInterval: number;
  /** Seconds between detections after a face appears, leaves or moves fast, or a cut. */
  busyInterval: number;
  /** How long "busy" lasts after the last change, in seconds. */
  busyHold: number;
}

export const DEFAULT_SAMPLER: Readonly<SamplerOptions> = Object.freeze({ calmInterval: 0.8, busyInterval: 0.3, busyHold: 1 });

/** A face moving more than this many box heights per second counts as fast. */
const FAST_MOTION = 0.8;
/** Mean absolute luminance difference (0–255) of the coarse grid that marks a cut... */
const CUT_THRESHOLD = 28;
/** ...and the smaller one that marks movement or a dissolve (seen at once, unlike what detections report)... */
const CHANGE_THRESHOLD = 4;
/** ...and one between them: a fade or a soft cut between similar shots, after which faces must be recognised again. */
const SOFT_CUT_THRESHOLD = 12;
const GRID = 8;

/** A coarse luminance grid of a frame: enough to see a cut between two frames, cheap to compute. */
export function frameSignature(rgb: Uint8Array, width: number, height: number): Float32Array {
  const cells = new Float32Array(GRID * GRID);
  const samples = 4;
  for (let cy = 0; cy < GRID; cy += 1) {
    for (let cx = 0; cx < GRID; cx += 1) {
      let sum = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = Math.min(width - 1, Math.floor(((cx + (sx + 0.5) / samples) * width) / GRID));
          const y = Math.min(height - 1, Math.floor(((cy + (sy + 0.5) / samples) * height) / GRID));
          const offset = (y * width + x) * 3;
          sum += 0.299 * (rgb[offset] ?? 0) + 0.587 * (rgb[offset + 1] ?? 0) + 0.114 * (rgb[offset + 2] ?? 0);
        }
      }
      cells[cy * GRID + cx] = sum / (samples * samples);
    }
  }
  return cells;
}

function signatureDistance(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (let index = 0; index < a.length; index += 1) total += Math.abs((a[index] ?? 0) - (b[index] ?? 0));
  return total / a.length;
}

/**
 * Decides which decoded frames get a detection: every `calmInterval` seconds while the picture is steady,
 * every `busyInterval` after a change (a face appeared or was lost, moved fast) and at once after a cut.
 */
export class FrameSampler {
  private lastSampled = -Infinity;
  private busyUntil = -Infinity;
  private previousSignature: Float32Array | undefined;
  private previousTime: number | undefined;
  /** A large change since the last analysed frame, short of a cut. */
  private softCutPending = false;

  constructor(private readonly options: SamplerOptions = DEFAULT_SAMPLER) {}

  /** Call for every decoded frame, in order. */
  consider(time: number, signature: Float32Array): { analyse: boolean; cut: boolean; softCut: boolean } {
    const change = this.previousSignature === undefined ? 0 : signatureDistance(signature, this.previousSignature);
    const cut = change > CUT_THRESHOLD;
    if (change > SOFT_CUT_THRESHOLD) this.softCutPending = true;
    this.previousSignature = signature;
    if (change > CHANGE_THRESHOLD) this.busyUntil = Math.max(this.busyUntil, time + this.options.busyHold);
    const interval = time < this.busyUntil ? this.options.busyInterval : this.options.calmInterval;
    // The frame nearest the due time, not the first one after it: decoded frames can be far apart (only the
    // frames others depend on are decoded), and waiting for the next one could nearly double the interval.
    const frameGap = this.previousTime === undefined ? 0 : Math.max(0, time - this.previousTime);
    this.previousTime = time;
    // A small tolerance so that a frame a hair early (irregular frame times) is not skipped for a whole frame.
    const elapsed = time - this.lastSampled;
    const due = elapsed >= interval - 0.02 || elapsed + frameGap / 2 > interval;
    if (!cut && !due) return { analyse: false, cut: false, softCut: false };
    const softCut = this.softCutPending && !cut;
    this.softCutPending = false;
    this.lastSampled = time;
    if (cut) this.busyUntil = time + this.options.busyHold;
    return { analyse: true, cut, softCut };
  }

  /** What the last detection found changes how soon the next one comes. */
  noteStep(time: number, step: TrackStep): void {
    if (step.created > 0 || step.lost > 0 || step.fastestMotion > FAST_MOTION) this.busyUntil = Math.max(this.busyUntil, time + this.options.busyHold);
  }
}
