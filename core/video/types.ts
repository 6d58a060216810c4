import type { Box } from '../types.ts';

/** Containers we hand to ffmpeg, each with the one demuxer it is opened with (never ffmpeg's own guess). */
export type VideoContainer = 'mp4' | 'matroska' | 'avi' | 'mpegts' | 'gif';

/** What ffprobe said about a clip, checked against the limits before any frame is decoded. */
export interface VideoProbe {
  container: VideoContainer;
  /** ffprobe's format_name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  bytes: number;
  durationSeconds: number;
  streams: number;
  video: {
    /** The stream's index in the file (cover art is skipped: this is the moving picture). */
    streamIndex: number;
    codec: string;
    /** Coded size, as stored. */
    width: number;
    height: number;
    /** Size as shown, after the rotation is applied (what analysis and the output use). */
    displayWidth: number;
    displayHeight: number;
    /** Clockwise degrees a player turns the picture: 0, 90, 180 or 270. */
    rotation: 0 | 90 | 180 | 270;
    /** Average frames per second. */
    frameRate: number;
    /** True when frame durations differ (r_frame_rate and avg_frame_rate disagree). */
    variableFrameRate: boolean;
    /** Frame count from the container, when it says. */
    frames: number | null;
    pixelFormat: string | null;
  };
  audio: { codec: string; channels: number; sampleRate: number; bitRate: number | null } | null;
}

export interface VideoLimits {
  maxBytes: number;
  maxSeconds: number;
  /** Largest frame accepted, in pixels (width × height). */
  maxPixels: number;
  /** Longest side accepted. */
  maxSide: number;
  /** A clip with more streams than this (video, audio, subtitles, data) is refused. */
  maxStreams: number;
  /** Wall-clock limit for any one ffmpeg/ffprobe run, in seconds. */
  timeoutSeconds: number;
}

/** A face's box at one analysed instant, in the upright clip's pixels. */
export interface TrackKeyframe {
  time: number;
  box: Box;
}

/** One face followed through the clip, named by a vote over its descriptors (null: unknown). */
export interface VideoTrack {
  id: number;
  name: string | null;
  /** Mean confidence of the winning vote (or that it is nobody enrolled, when unknown). */
  confidence: number;
  /** Descriptor votes this track got. */
  votes: number;
  /** Detections, in time order; boxes are interpolated between them. */
  keyframes: TrackKeyframe[];
  /** Seconds from the clip's start: first and last instant on screen. */
  from: number;
  to: number;
  /** An unknown track's person (1, 2, … in order of first appearance): tracks of one stranger share it. */
  unknownPerson?: number;
}

/** One member's time on screen. */
export interface ScreenTimeEntry {
  name: string;
  seconds: number;
  /** Share of the clip's duration, 0–100. */
  percent: number;
  /** First and last instant on screen, seconds from the start. */
  first: number;
  last: number;
}

/** A stretch of the clip during which the same members are on screen. */
export interface TimelineSegment {
  from: number;
  to: number;
  names: string[];
}

export type VideoStage = 'probing' | 'analysing' | 'rendering';

export interface VideoProgress {
  stage: VideoStage;
  /** 0–100 within the stage. */
  percent: number;
}
