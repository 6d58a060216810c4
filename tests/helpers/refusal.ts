import assert from 'node:assert/strict';
import { IdolensError } from '../../core/errors.ts';

/** The IdolensError `work` rejects with; fails the test when it resolves or rejects with anything else. */
export async function refusal(work: Promise<unknown>): Promise<IdolensError> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof IdolensError, `expected an IdolensError, got ${String(error)}`);
  return error;
}
