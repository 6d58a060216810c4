/**
 * What a fan's correction needs of an answer the bots posted, kept a day: the group, the faces as the answer named
 * them, the members it could name, and where the picture is on the platform (a reference: the picture itself is
 * never kept). Also each fan's corrections in the last hour, for the cap.
 */
import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { z } from 'zod';
import { IdolensError } from '../errors.ts';
import { mediaRefSchema, type MediaRef } from '../media-ref/index.ts';
import { assertServerId } from '../store/index.ts';
import type { Box } from '../types.ts';

export const ANSWER_LIFETIME_MS = 24 * 60 * 60 * 1000;
const RATE_WINDOW_MS = 60 * 60 * 1000;

export interface AnsweredFace {
  box: Box;
  /** The name the answer showed; null: unknown. */
  name: string | null;
  confidence: number;
  /** The member the engine leaned to, when it was unsure (the question "is this X?"). */
  unsureOf?: string;
}

export interface AnswerRecord {
  id: string;
  server: string;
  group: string;
  picture: MediaRef;
  /** The picture is this moment (seconds) of the clip `picture` names: the still under a clip's summary. */
  frameSeconds?: number;
  faces: AnsweredFace[];
  /** The group's members when it answered, in order: the names a fan picks from. */
  members: string[];
  createdAt: string;
}

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const storedAnswer = z.object({
  id: z.string(), server: z.string(), group: z.string(), picture: mediaRefSchema, frameSeconds: z.number().min(0).exactOptional(), createdAt: z.string(), members: z.array(z.string()),
  faces: z.array(z.object({ box, name: z.string().nullable(), confidence: z.number(), unsureOf: z.string().exactOptional() })),
});
const storedStamps = z.array(z.number());
const storedShown = z.object({ group: z.string(), numbers: z.array(z.number().int().positive()) });

export const ANSWER_ID = /^[0-9a-f]{8}$/;

const answerKey = (server: string, id: string): string => `answer:${encodeURIComponent(server)}:${id}`;
const shownKey = (server: string, id: string): string => `shown:${encodeURIComponent(server)}:${id}`;
const rateKey = (server: string, user: string): string => `corrections:${encodeURIComponent(server)}:${encodeURIComponent(user)}`;

export class AnswerStore {
  constructor(private readonly keyv: Keyv, private readonly now: () => number = Date.now) {}

  async put(answer: Omit<AnswerRecord, 'id' | 'createdAt'>): Promise<AnswerRecord> {
    assertServerId(answer.server);
    const stored: AnswerRecord = { ...answer, id: randomBytes(4).toString('hex'), createdAt: new Date(this.now()).toISOString() };
    await this.keyv.set(answerKey(answer.server, stored.id), stored, ANSWER_LIFETIME_MS);
    return stored;
  }

  /** The answer, only on the server it was given on. */
  async get(server: string, id: string): Promise<AnswerRecord> {
    const value: unknown = ANSWER_ID.test(id) ? await this.keyv.get(answerKey(assertServerId(server), id)) : undefined;
    if (value === undefined) throw new IdolensError('answer_expired');
    const parsed = storedAnswer.safeParse(value);
    if (!parsed.success) throw new IdolensError('internal', `Answer ${id} is damaged.`);
    const { faces, frameSeconds, ...rest } = parsed.data;
    return { ...rest, ...(frameSeconds === undefined ? {} : { frameSeconds }), faces: faces.map(({ unsureOf, ...face }) => ({ ...face, ...(unsureOf === undefined ? {} : { unsureOf }) })) };
  }

  /** True the first time this fan confirms this face of this answer. */
  async markConfirmed(server: string, id: string, face: number, user: string): Promise<boolean> {
    const key = `confirmed:${encodeURIComponent(server)}:${id}:${face}:${encodeURIComponent(user)}`;
    if (await this.keyv.get(key) !== undefined) return false;
    await this.keyv.set(key, true, ANSWER_LIFETIME_MS);
    return true;
  }

  /** Remembers which suggestions a review sheet showed, so its "Accept all" decides exactly those. */
  async putShown(server: string, group: string, numbers: readonly number[]): Promise<string> {
    const id = randomBytes(4).toString('hex');
    await this.keyv.set(shownKey(assertServerId(server), id), { group, numbers: [...numbers] }, ANSWER_LIFETIME_MS);
    return id;
  }

  async getShown(server: string, id: string): Promise<{ group: string; numbers: number[] }> {
    const parsed = storedShown.safeParse(ANSWER_ID.test(id) ? await this.keyv.get(shownKey(assertServerId(server), id)) : undefined);
    if (!parsed.success) throw new IdolensError('suggestion_not_found', 'That review sheet has expired or was decided already: show the suggestions again.');
    return parsed.data;
  }

  /** How many corrections the fan made on this server in the last hour. */
  async recentCorrections(server: string, user: string): Promise<number> {
    return (await this.stamps(server, user)).length;
  }

  /** Counts one more correction of the fan's (the caller holds the fan's lock). */
  async countCorrection(server: string, user: string): Promise<void> {
    const stamps = [...await this.stamps(server, user), this.now()];
    await this.keyv.set(rateKey(server, user), stamps, RATE_WINDOW_MS);
  }

  private async stamps(server: string, user: string): Promise<number[]> {
    const parsed = storedStamps.safeParse(await this.keyv.get(rateKey(assertServerId(server), user)));
    const since = this.now() - RATE_WINDOW_MS;
    return parsed.success ? parsed.data.filter((stamp) => stamp > since) : [];
  }
}
