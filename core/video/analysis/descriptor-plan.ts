/** A track as the plan sees it after a detection step. */
export interface PlannedTrack {
  id: number;
  detections: number;
}

/**
 * Spaces descriptors out per track: often while a track has few votes, rarely once its name is settled
 * (still now and then, in case the tracker swapped faces). A frame gets descriptors when any confirmed track
 * (seen at least twice: one-off detections are mostly false alarms) needs one.
 */
export class DescriptorPlan {
  private readonly lastDescribed = new Map<number, number>();
  private readonly voteCounts = new Map<number, number>();
  private activeTracks: PlannedTrack[] = [];
  /** Tracks split off another one: a real face already, however few detections they have of their own. */
  private readonly confirmed = new Set<number>();

  /** After each detection step: the tracks on that frame. */
  noteTracks(tracks: readonly PlannedTrack[]): void {
    this.activeTracks = [...tracks];
  }

  /** A frame was described: every track on it had its chance (faces too small to describe count too). */
  noteDescribed(trackIds: readonly number[], time: number): void {
    for (const trackId of trackIds) this.lastDescribed.set(trackId, time);
  }

  /** The picture changed a lot (a fade, a soft cut): every face is described again on the next frame. */
  refreshAll(): void {
    this.lastDescribed.clear();
  }

  /** A track split off another one at a change of person: its new face is described as a new track's are. */
  noteSplit(trackId: number): void {
    this.confirmed.add(trackId);
  }

  noteVote(trackId: number): void {
    this.voteCounts.set(trackId, (this.voteCounts.get(trackId) ?? 0) + 1);
  }

  wants(time: number): boolean {
    return this.activeTracks.some((track) => {
      if (track.detections < 2 && !this.confirmed.has(track.id)) return false;
      const last = this.lastDescribed.get(track.id);
      return last === undefined || time - last >= spacing(this.voteCounts.get(track.id) ?? 0);
    });
  }
}

/** A name needs two agreeing faces (and a majority): a track's first three faces are described as they come. */
function spacing(votes: number): number {
  if (votes < 3) return 0.2;
  if (votes < 6) return 1.5;
  return 3;
}
