/**
 * How image search providers' refusals read, against the local fake speaking each API's own error answers:
 * Brave refuses a wrong or missing key with HTTP 422, which must tell the admin which setting to fix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../core/config.ts';
import { braveProvider } from '../../core/search/brave.ts';
import { searchProvider } from '../../core/search/providers.ts';
import type { SearchProviderId } from '../../core/search/types.ts';
import { ImageSearchFake } from '../helpers/image-search-fake.ts';
import { refusal } from '../helpers/refusal.ts';

let fake: ImageSearchFake;

function provider(id: SearchProviderId, braveKey = 'brave-key') {
  const settings = loadConfig({
    BRAVE_SEARCH_API_URL: fake.braveUrl, BRAVE_SEARCH_API_KEY: braveKey,
    GOOGLE_SEARCH_API_URL: fake.googleUrl, GOOGLE_SEARCH_API_KEY: 'google-key', GOOGLE_SEARCH_ENGINE_ID: 'engine-id',
  }).search;
  return searchProvider(settings, id);
}

before(async () => {
  fake = await ImageSearchFake.start([]);
});

after(async () => {
  await fake.close();
});

describe('image search provider errors', () => {
  test('a Brave key Brave calls invalid (HTTP 422) tells the admin to set BRAVE_SEARCH_API_KEY, not to try again later', async () => {
    const refused = await refusal(provider('brave', 'revoked-key').search('Jennie', 5));
    assert.equal(refused.code, 'search_unavailable');
    assert.match(refused.message, /BRAVE_SEARCH_API_KEY/);
    assert.match(refused.message, /SUBSCRIPTION_TOKEN_INVALID/);
    assert.doesNotMatch(refused.message, /try again/);
    assert.equal(refused.details['status'], 422);
  });

  test('a Brave answer that the key header is missing (HTTP 422 VALIDATION) is a key problem too', async () => {
    const refused = await refusal(braveProvider(fake.braveUrl, '').search('Jennie', 5));
    assert.equal(refused.code, 'search_unavailable');
    assert.match(refused.message, /BRAVE_SEARCH_API_KEY/);
  });

  test('a Brave 422 about something other than the key stays a failed search with its status', async () => {
    fake.failNext('brave', { status: 422, body: JSON.stringify({ type: 'ErrorResponse', error: { status: 422, code: 'VALIDATION', detail: 'Unable to validate request parameter(s)', meta: { errors: [{ loc: ['query', 'count'], msg: 'Input should be less than or equal to 200', type: 'less_than_equal' }] } } }) });
    const refused = await refusal(provider('brave').search('Jennie', 5));
    assert.equal(refused.code, 'search_failed');
    assert.match(refused.message, /HTTP 422/);
  });

  test('other providers keep their readings: a 422 with the same body is a failed search, a 401 a refused key', async () => {
    fake.failNext('google', { status: 422, body: JSON.stringify({ type: 'ErrorResponse', error: { code: 'SUBSCRIPTION_TOKEN_INVALID' } }) });
    const unprocessable = await refusal(provider('google').search('Jennie', 5));
    assert.equal(unprocessable.code, 'search_failed');
    assert.match(unprocessable.message, /Google image search failed \(HTTP 422\)/);
    fake.failNext('google', { status: 401 });
    const unauthorised = await refusal(provider('google').search('Jennie', 5));
    assert.equal(unauthorised.code, 'search_unavailable');
    assert.match(unauthorised.message, /refused the API key \(HTTP 401\)/);
  });
});
