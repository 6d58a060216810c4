/** Wikimedia Commons' public API (no key): files matching the query, each with its licence and author. */
import { z } from 'zod';
import { getJson } from './http-json.ts';
import type { ImageCandidate, ImageSearchProvider } from './types.ts';

/** Commons serves a thumbnail of this width: enough for a face, far smaller than originals. */
const THUMB_WIDTH = 1280;
const MAX_PER_CALL = 50;
const IMAGE_MIME = /^image\/(jpeg|png|webp|gif|tiff|bmp)$/;

const metadataValue = z.object({ value: z.union([z.string(), z.number()]) }).optional();
const imageInfo = z.object({
  url: z.string(),
  thumburl: z.string().optional(),
  descriptionurl: z.string().optional(),
  mime: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  size: z.number().optional(),
  extmetadata: z.object({ LicenseShortName: metadataValue, Artist: metadataValue }).partial().optional(),
});
const answer = z.object({
  query: z.object({ pages: z.record(z.string(), z.object({ title: z.string(), index: z.number().optional(), imageinfo: z.array(imageInfo).optional() })) }).optional(),
});

/** Commons' Artist field is HTML (a link to the user page): the text only. */
function plainText(html: string | number | undefined): string | undefined {
  if (html === undefined) return undefined;
  const text = String(html).replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, 200);
}

export function commonsProvider(apiUrl: string): ImageSearchProvider {
  return {
    id: 'commons',
    async search(query, count) {
      const url = new URL(apiUrl);
      const params = {
        action: 'query', format: 'json', formatversion: '1', generator: 'search', gsrsearch: `filetype:bitmap ${query}`, gsrnamespace: '6',
        gsrlimit: String(Math.min(count, MAX_PER_CALL)), prop: 'imageinfo', iiprop: 'url|size|mime|extmetadata', iiurlwidth: String(THUMB_WIDTH),
        iiextmetadatafilter: 'LicenseShortName|Artist',
      };
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const body = await getJson('Wikimedia Commons', url, answer);
      const pages = Object.values(body.query?.pages ?? {}).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return pages.flatMap((page): ImageCandidate[] => {
        const info = page.imageinfo?.[0];
        if (!info || (info.mime !== undefined && !IMAGE_MIME.test(info.mime))) return [];
        const licence = plainText(info.extmetadata?.LicenseShortName?.value);
        const author = plainText(info.extmetadata?.Artist?.value);
        return [{
          imageUrl: info.thumburl ?? info.url, title: page.title,
          ...(info.descriptionurl === undefined ? {} : { pageUrl: info.descriptionurl }),
          ...(licence === undefined ? {} : { licence }), ...(author === undefined ? {} : { author }),
          ...(info.width === undefined ? {} : { width: info.width }), ...(info.height === undefined ? {} : { height: info.height }),
          ...(info.size === undefined ? {} : { bytes: info.size }),
        }];
      }).slice(0, count);
    },
  };
}
