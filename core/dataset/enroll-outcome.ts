import type { ErrorCode } from '../errors.ts';

/** What became of one enrolled input: accepted (maybe flagged for review), rejected with why, or a duplicate. */
export interface EnrollOutcome {
  source: string;
  member: string | null;
  status: 'accepted' | 'rejected' | 'duplicate';
  reason?: { code: ErrorCode; message: string };
  flagged?: boolean;
  flagReason?: string;
}
