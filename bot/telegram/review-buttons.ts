/** The buttons under an image search's review sheet: their callback data names the pending set and the decision. */

const REVIEW_CALLBACK = /^r:([0-9a-f]{8}):(accept|discard)$/;

export function reviewCallback(id: string, action: 'accept' | 'discard'): string {
  return `r:${id}:${action}`;
}

export function parseReviewCallback(data: string): { id: string; action: 'accept' | 'discard' } | undefined {
  const match = REVIEW_CALLBACK.exec(data);
  const id = match?.[1];
  const action = match?.[2];
  return id === undefined || (action !== 'accept' && action !== 'discard') ? undefined : { id, action };
}
