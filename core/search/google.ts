/**
 * Google Programmable Search's JSON API (API key + search engine id; closed to new customers, see the README):
 * image results come ten per call, so larger counts page through `start`.
 */
import { z } from 'zod';
import { getJson } from './http-json.ts';
import type { ImageCandidate, ImageSearchProvider } from './types.ts';

const PAGE_SIZE = 10;
/** The API serves the first 100 results only. */
const MAX_RESULTS = 100;

const answer = z.object({
  items: z.array(z.object({
    link: z.string(),
    title: z.string().optional(),
    mime: z.string().optional(),
    image: z.object({ contextLink: z.string().optional(), width: z.number().optional(), height: z.number().optional(), byteSize: z.number().optional() }).optional(),
  })).optional(),
});

export function googleProvider(apiUrl: string, apiKey: string, engineId: string): ImageSearchProvider {
  return {
    id: 'google',
    async search(query, count) {
      const wanted = Math.min(count, MAX_RESULTS);
      const found: ImageCandidate[] = [];
      for (let start = 1; found.length < wanted; start += PAGE_SIZE) {
        const url = new URL(apiUrl);
        const params = { key: apiKey, cx: engineId, q: query, searchType: 'image', safe: 'active', num: String(Math.min(PAGE_SIZE, wanted - found.length)), start: String(start) };
        for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
        const items = (await getJson('Google', url, answer)).items ?? [];
        found.push(...items.map((item): ImageCandidate => ({
          imageUrl: item.link,
          ...(item.title === undefined ? {} : { title: item.title }),
          ...(item.image?.contextLink === undefined ? {} : { pageUrl: item.image.contextLink }),
          ...(item.image?.width === undefined ? {} : { width: item.image.width }),
          ...(item.image?.height === undefined ? {} : { height: item.image.height }),
          ...(item.image?.byteSize === undefined ? {} : { bytes: item.image.byteSize }),
        })));
        if (items.length < PAGE_SIZE) break;
      }
      return found.slice(0, wanted);
    },
  };
}
