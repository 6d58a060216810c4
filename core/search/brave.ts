/** Brave Search's image API (needs an API key): image URLs with the page they are on. */
import { z } from 'zod';
import { getJson } from './http-json.ts';
import type { ImageCandidate, ImageSearchProvider } from './types.ts';

const MAX_PER_CALL = 200;

const answer = z.object({
  results: z.array(z.object({
    title: z.string().optional(),
    url: z.string().optional(),
    properties: z.object({ url: z.string(), width: z.number().optional(), height: z.number().optional() }).optional(),
    thumbnail: z.object({ src: z.string() }).optional(),
  })),
});

export function braveProvider(apiUrl: string, apiKey: string): ImageSearchProvider {
  return {
    id: 'brave',
    async search(query, count) {
      const url = new URL(apiUrl);
      url.searchParams.set('q', query);
      url.searchParams.set('count', String(Math.min(count, MAX_PER_CALL)));
      url.searchParams.set('safesearch', 'strict');
      const body = await getJson('Brave', url, answer, { 'x-subscription-token': apiKey });
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
