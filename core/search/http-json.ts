/** GET a provider's JSON API: rate limits, failures and unreadable answers become clear search errors. */
import type { z } from 'zod';
import { IdolensError } from '../errors.ts';
import { plural } from '../format.ts';

const TIMEOUT_MS = 20_000;
const USER_AGENT = 'idolens/0.1 (K-pop face recognition bot; image search for enrolling members)';

export interface GetJsonOptions {
  headers?: Record<string, string>;
  /** A provider's own reading of a failed answer (its status and JSON body, undefined when not JSON); undefined falls back to the generic errors. */
  explainFailure?: (status: number, body: unknown) => IdolensError | undefined;
}

export async function getJson<T>(provider: string, url: URL, schema: z.ZodType<T>, options: GetJsonOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...options.headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new IdolensError('search_failed', `I could not reach the ${provider} image search.`, { provider }, { cause: error });
  }
  if (!response.ok && options.explainFailure !== undefined) {
    const explained = options.explainFailure(response.status, await errorBody(response));
    if (explained !== undefined) throw explained;
  }
  if (response.status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    const wait = seconds === undefined ? 'in a minute' : `in ${plural(seconds, 'second')}`;
    throw new IdolensError('search_rate_limited', `The ${provider} image search is rate-limiting me; try again ${wait}.`, { provider, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) });
  }
  if (response.status === 401 || response.status === 403) {
    throw new IdolensError('search_unavailable', `The ${provider} image search refused the API key (HTTP ${response.status}).`, { provider, status: response.status });
  }
  if (!response.ok) throw new IdolensError('search_failed', `The ${provider} image search failed (HTTP ${response.status}); try again later.`, { provider, status: response.status });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new IdolensError('search_failed', `The ${provider} image search answered something that is not JSON.`, { provider });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new IdolensError('search_failed', `The ${provider} image search answered in a shape I do not know.`, { provider });
  return parsed.data;
}

async function errorBody(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds (a number, or an HTTP date). */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
