import { IdolensError } from '../errors.ts';
import { braveProvider } from './brave.ts';
import { commonsProvider } from './commons.ts';
import { googleProvider } from './google.ts';
import type { ImageSearchProvider, SearchProviderId, SearchSettings } from './types.ts';

/** The provider asked for (or the configured default), refused clearly when its keys are not set. */
export function searchProvider(settings: SearchSettings, id: SearchProviderId = settings.provider): ImageSearchProvider {
  switch (id) {
    case 'commons':
      return commonsProvider(settings.commons.apiUrl);
    case 'brave':
      if (settings.brave.apiKey === undefined) throw new IdolensError('search_unavailable', 'Brave image search needs BRAVE_SEARCH_API_KEY to be set.');
      return braveProvider(settings.brave.apiUrl, settings.brave.apiKey);
    case 'google':
      if (settings.google.apiKey === undefined || settings.google.engineId === undefined) {
        throw new IdolensError('search_unavailable', 'Google image search needs GOOGLE_SEARCH_API_KEY and GOOGLE_SEARCH_ENGINE_ID to be set.');
      }
      return googleProvider(settings.google.apiUrl, settings.google.apiKey, settings.google.engineId);
  }
}
