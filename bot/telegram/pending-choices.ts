/**
 * Questions the bot asked with inline buttons ("which group?", "really forget?"): what to do with each answer,
 * kept in this process for a while. Only the user who asked may answer.
 */
import { randomBytes } from 'node:crypto';

export interface PendingChoice {
  userId: number;
  /** Button labels, in order; the answer is an index into them. */
  labels: string[];
  /** `questionMessageId`: the message that carried the buttons, when Telegram said. */
  answer(index: number, questionMessageId: number | undefined): Promise<void>;
}

const LIFETIME_MS = 10 * 60 * 1000;
const CALLBACK = /^c:([0-9a-f]{12}):(\d{1,2})$/;

export class PendingChoices {
  private readonly pending = new Map<string, PendingChoice & { until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps the choice; returns the callback_data of each button (within Telegram's 64 bytes). */
  add(choice: PendingChoice): string[] {
    this.sweep();
    const id = randomBytes(6).toString('hex');
    this.pending.set(id, { ...choice, until: this.now() + LIFETIME_MS });
    return choice.labels.map((_, index) => `c:${id}:${index}`);
  }

  /** The choice a button press answers and the index pressed; removed once taken. */
  take(data: string, userId: number): { choice: PendingChoice; index: number } | 'expired' | 'not-yours' {
    const match = CALLBACK.exec(data);
    const entry = match ? this.pending.get(match[1] ?? '') : undefined;
    const index = Number(match?.[2]);
    if (!match || entry === undefined || entry.until < this.now() || !(index < entry.labels.length)) return 'expired';
    if (entry.userId !== userId) return 'not-yours';
    this.pending.delete(match[1] ?? '');
    return { choice: entry, index };
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.pending) if (entry.until < now) this.pending.delete(id);
  }
}
