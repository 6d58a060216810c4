/**
 * A member's own cut of a clip (what fans make by hand: "Sana focus"): the stretches where she is on screen,
 * labelled like annotate, joined with their sound.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { CoreContext } from '../core/context.ts';
import { IdolensError } from '../core/errors.ts';
import { findMember, nameKey } from '../core/store/index.ts';
import { moveFileAtomic } from '../core/atomic-file.ts';
import { makeOwnedTempDir } from '../core/temp-dirs.ts';
import { annotateClip, type AnnotateRequest } from '../core/video/annotate.ts';
import { joinStretches } from '../core/video/cut/join-stretches.ts';
import { memberStretches, totalSeconds, type Stretch } from '../core/video/cut/stretches.ts';

export const DEFAULT_PAD_SECONDS = 0.5;
export const MAX_PAD_SECONDS = 10;

export interface CutRequest extends Omit<AnnotateRequest, 'outputPath'> {
  /** The member as the person typed it (any case). */
  member: string;
  /** Seconds kept before and after each of her stretches. */
  padSeconds: number;
  outputPath: string;
}

export interface MemberCut {
  output: string;
  member: string;
  stretches: Stretch[];
  /** Of the cut, and of the whole clip. */
  durationSeconds: number;
  sourceDurationSeconds: number;
  summary: string;
}

/** The `cut --json` contract object. */
export function cutJson(cut: MemberCut): Record<string, unknown> {
  return {
    output: cut.output, member: cut.member, stretches: cut.stretches, durationSeconds: cut.durationSeconds,
    sourceDurationSeconds: Number(cut.sourceDurationSeconds.toFixed(3)), summary: cut.summary,
  };
}

/** The member's name as the group spells it; refused when the group has no such member. */
export async function groupMemberName(core: CoreContext, server: string, group: string, typed: string): Promise<string> {
  const record = await core.store.requireGroup(server, group);
  const member = findMember(record, nameKey(typed));
  if (member === undefined) throw new IdolensError('member_not_found', `${record.name} has no member named ${typed}.`);
  return member.name;
}

export async function cutMember(core: CoreContext, request: CutRequest): Promise<MemberCut> {
  const { member: typed, padSeconds, outputPath, ...clip } = request;
  const member = await groupMemberName(core, clip.server, clip.group, typed);
  const workDir = await makeOwnedTempDir('cut');
  try {
    // The whole clip is labelled first at full quality: only the cut has to fit the upload limit.
    const { maxBytes: _cutLimit, ...labelling } = clip;
    const labelled = await annotateClip(core, { ...labelling, outputPath: path.join(workDir, 'labelled.mp4') });
    const stretches = memberStretches(labelled.tracks, member, padSeconds, labelled.durationSeconds);
    if (stretches.length === 0) throw new IdolensError('not_on_screen', `${member} is never on screen in this clip (${labelled.summary}).`, { member });
    const joined = path.join(workDir, 'cut.mp4');
    const timeoutMs = core.videoLimits.timeoutSeconds * 1000;
    await joinStretches({
      tools: core.mediaTools(), input: labelled.output.path, hasAudio: labelled.output.audio !== 'none', stretches, outputPath: joined, timeoutMs,
      ...(clip.maxBytes === undefined ? {} : { maxBytes: clip.maxBytes }), ...(clip.signal ? { signal: clip.signal } : {}),
    });
    await moveFileAtomic(joined, outputPath);
    return { output: outputPath, member, stretches, durationSeconds: totalSeconds(stretches), sourceDurationSeconds: labelled.durationSeconds, summary: labelled.summary };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
