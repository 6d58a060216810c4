/** Brave Search's image API (needs an API key): image URLs with the page they are on. */
import { z } from 'zod';
import { IdolensError } from '../errors.ts';
import { getJson } from './http-json.ts';
import type { ImageCandidate, ImageSearchProvider } from './types.ts';

const MAX_PER_CALL = 200;
const KEY_HEADER = 'x-subscription-token';

const answer = z.object({
  results: z.array(z.object({
    title: z.string().optional(),
    url: z.string().optional(),
    properties: z.object({ url: z.string(), width: z.number().optional(), height: z.number().optional() }).optional(),
    thumbnail: z.object({ src: z.string() }).optional(),
  })),
});

/** Brave's error answer: `{"type":"ErrorResponse","error":{"code":"SUBSCRIPTION_TOKEN_INVALID",...}}`, or VALIDATION naming the header. */
const errorAnswer = z.object({
  error: z.object({
    code: z.string(),
    meta: z.object({ errors: z.array(z.object({ loc: z.array(z.unknown()).optional() })).optional() }).optional(),
  }),
});

export function braveProvider(apiUrl: string, apiKey: string): ImageSearchProvider {
  return {
    id: 'brave',
    async search(query, count) {
      const url = new URL(apiUrl);
      url.searchParams.set('q', query);
      url.searchParams.set('count', String(Math.min(count, MAX_PER_CALL)));
      url.searchParams.set('safesearch', 'strict');
      const body = await getJson('Brave', url, answer, { headers: { [KEY_HEADER]: apiKey }, explainFailure: keyRefusal });
      return body.results.flatMap((result): ImageCandidate[] => {
        const imageUrl = result.properties?.url ?? result.thumbnail?.src;
        if (imageUrl === undefined) return [];
        return [{
          imageUrl,
          ...(result.url === undefined ? {} : { pageUrl: result.url }), ...(result.title === undefined ? {} : { title: result.title }),
          ...(result.properties?.width === undefined ? {} : { width: result.properties.width }),
          ...(result.properties?.height === undefined ? {} : { height: result.properties.height }),
        }];
      }).slice(0, count);
    },
  };
}

/** Brave answers a wrong or missing key with HTTP 422 (not 401): the admin has to fix the key, waiting will not help. */
function keyRefusal(status: number, body: unknown): IdolensError | undefined {
  const parsed = errorAnswer.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, meta } = parsed.data.error;
  const namesKeyHeader = meta?.errors?.some((error) => error.loc?.some((part) => typeof part === 'string' && part.toLowerCase() === KEY_HEADER)) ?? false;
  if (code !== 'SUBSCRIPTION_TOKEN_INVALID' && !(code === 'VALIDATION' && namesKeyHeader)) return undefined;
  return new IdolensError(
    'search_unavailable',
    `The Brave image search refused its API key (${code}): an admin needs to set BRAVE_SEARCH_API_KEY to a valid Brave Search API key and restart.`,
    { provider: 'Brave', status, braveCode: code },
  );
}
