/** Image search: providers behind one interface, and what they find. */

export const SEARCH_PROVIDERS = ['commons', 'brave', 'google'] as const;
export type SearchProviderId = (typeof SEARCH_PROVIDERS)[number];

/** One picture a search found: where its bytes are, the page it is on, and its licence when the provider says. */
export interface ImageCandidate {
  imageUrl: string;
  pageUrl?: string;
  title?: string;
  licence?: string;
  author?: string;
  width?: number;
  height?: number;
  bytes?: number;
}

export interface ImageSearchProvider {
  id: SearchProviderId;
  /** Up to `count` candidates, best first; a provider that fails throws a search_* IdolensError. */
  search(query: string, count: number): Promise<ImageCandidate[]>;
}

export interface SearchSettings {
  provider: SearchProviderId;
  commons: { apiUrl: string };
  brave: { apiUrl: string; apiKey: string | undefined };
  google: { apiUrl: string; apiKey: string | undefined; engineId: string | undefined };
  /** Least time between two downloads from one host (politeness towards image hosts). */
  hostIntervalMs: number;
  /** Downloads at once. */
  concurrency: number;
}
