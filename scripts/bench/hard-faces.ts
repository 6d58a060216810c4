import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decideFaces, fitGroupModel, loadGroupModel, scoreFace, type LoadedGroupModel } from '../../core/classifier/index.ts';
import type { CoreContext } from '../../core/context.ts';
import type { RecognitionProfile } from '../../core/faces/profiles.ts';
import { decodeImage } from '../../core/media/index.ts';
import type { Box, FaceObservation } from '../../core/types.ts';
import { facesOf, largestFace, type DescriptorCache } from './descriptors.ts';
import type { Identity } from './faces-folder.ts';
import { seededRandom } from './random.ts';
import { splitMember } from './split.ts';

/** How a held-out photo was made harder before identify saw it. */
export const HARD_VARIANTS = ['as taken', 'black and white', 'face 64 px wide', 'face 40 px wide', 'lower half of the face hidden'] as const;
export type HardVariant = (typeof HARD_VARIANTS)[number];

export interface HardTally {
  photos: number;
  found: number;
  right: number;
  wrong: number;
}

export interface HardFaces {
  variants: Record<HardVariant, HardTally>;
  /** The held-out photos as taken, by how far the head is turned (nose off the eyes' midline, in eye distances). */
  turned: HardTally;
  frontal: HardTally;
}

/** Held-out photos per member whose face is large enough to shrink. */
const PER_MEMBER = 10;
const MIN_FACE_WIDTH = 120;
/** The nose tip this far (in eye distances) beside the eyes' midpoint: a head turned towards profile. */
const TURNED = 0.25;

function empty(): HardTally {
  return { photos: 0, found: 0, right: 0, wrong: 0 };
}

async function variantBytes(bytes: Buffer, variant: HardVariant, face: Box, width: number): Promise<Buffer> {
  const image = sharp(bytes).rotate();
  switch (variant) {
    case 'as taken': return bytes;
    case 'black and white': return image.grayscale().jpeg({ quality: 90 }).toBuffer();
    case 'face 64 px wide':
    case 'face 40 px wide': {
      const target = variant === 'face 64 px wide' ? 64 : 40;
      return image.resize(Math.max(16, Math.round((width * target) / face.width))).png().toBuffer();
    }
    case 'lower half of the face hidden': {
      const top = Math.round(face.y + face.height * 0.55);
      const bar = { left: Math.round(face.x), top, width: Math.round(face.width), height: Math.round(face.height * 0.5) };
      const grey = await sharp({ create: { width: bar.width, height: bar.height, channels: 3, background: '#777' } }).png().toBuffer();
      return image.composite([{ input: grey, left: bar.left, top: bar.top }]).jpeg({ quality: 90 }).toBuffer();
    }
  }
}

function yawShare(face: FaceObservation): number {
  const eyes = [[36, 39], [42, 45]].map(([a, b]) => ({ x: ((face.landmarks[a as number]?.x ?? 0) + (face.landmarks[b as number]?.x ?? 0)) / 2 }));
  const [left, right] = eyes;
  const nose = face.landmarks[30]?.x ?? 0;
  const distance = Math.abs((right?.x ?? 0) - (left?.x ?? 0)) || 1;
  return Math.abs(nose - ((left?.x ?? 0) + (right?.x ?? 0)) / 2) / distance;
}

function tally(into: HardTally, model: LoadedGroupModel, faces: readonly FaceObservation[], member: string): void {
  into.photos += 1;
  const face = largestFace({ faces: [...faces] });
  if (!face) return;
  into.found += 1;
  const [decision] = decideFaces(model, [scoreFace(model, face.descriptor)]);
  const key = decision?.member === null || decision === undefined ? null : model.payload.members[decision.member]?.key;
  if (key === member) into.right += 1;
  else if (key !== null && key !== undefined) into.wrong += 1;
}

/**
 * One seeded split of the group (the real enrollment rule), then held-out photos identified as taken, in black and
 * white, shrunk until the face is 64 or 40 px wide, and with the lower half of the face covered; and the photos as
 * taken split by how far the head is turned.
 */
export async function measureHardFaces(context: CoreContext, cache: DescriptorCache, members: readonly Identity[], settings: { seed: number; shots: number; embedderId: string; profile: RecognitionProfile }): Promise<HardFaces> {
  const random = seededRandom(settings.seed * 104729);
  const splits = members.map((member) => splitMember(member, cache, settings.shots, random, settings.profile.enroll));
  const model = loadGroupModel(fitGroupModel(splits.map((split) => ({ key: split.name, name: split.name, embeddings: split.enrolled })), settings.embedderId, settings.profile.classifier));
  const result: HardFaces = { variants: Object.fromEntries(HARD_VARIANTS.map((variant) => [variant, empty()])) as Record<HardVariant, HardTally>, turned: empty(), frontal: empty() };
  const engine = await context.faces();
  for (const split of splits) {
    for (const photo of split.heldOut) {
      const face = largestFace(facesOf(cache, photo));
      if (face) tally(yawShare(face) > TURNED ? result.turned : result.frontal, model, [face], split.name);
    }
    const chosen = split.heldOut.filter((photo) => (largestFace(facesOf(cache, photo))?.box.width ?? 0) >= MIN_FACE_WIDTH).slice(0, PER_MEMBER);
    for (const photo of chosen) {
      const bytes = await readFile(photo);
      const original = await decodeImage(bytes, context.mediaLimits);
      const face = largestFace(facesOf(cache, photo));
      if (!face) continue;
      for (const variant of HARD_VARIANTS) {
        const image = await decodeImage(await variantBytes(bytes, variant, face.box, original.originalWidth), context.mediaLimits);
        tally(result.variants[variant], model, await engine.analyze(image, 'accurate'), split.name);
      }
    }
  }
  return result;
}
