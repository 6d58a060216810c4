/** Answers name commands in the syntax of where they are read: a chat's slash commands, or the `idolens` command line. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchText } from '../../answers/search.ts';
import { chatPhrasing, CLI_PHRASING } from '../../answers/phrasing.ts';
import type { SearchResultData } from '../../services/search-service.ts';
import type { DeliveryTarget } from '../../workers/delivery/delivery.ts';
import { phrasingFor } from '../../workers/processors/phrasing.ts';

const TELEGRAM: DeliveryTarget = { kind: 'telegram', chatId: -1001, replyTo: 7, statusMessageId: 8, uploadLimitBytes: 50_000_000 };
const DISCORD: DeliveryTarget = {
  kind: 'discord', applicationId: '1', interactionToken: 'token', channelId: '2', userId: '3', createdAt: 0, privateAnswer: false, uploadLimitBytes: 10_485_760,
};

function searchResult(pendingId: string | undefined): SearchResultData {
  return {
    group: 'TWICE', member: 'Nayeon', query: 'Nayeon TWICE', provider: 'commons', kept: pendingId === undefined ? 0 : 1,
    ...(pendingId === undefined ? {} : { pendingId }),
    outcomes: [
      ...(pendingId === undefined ? [] : [{ rank: 1, source: 'https://example.org/a.jpg', status: 'pending' as const, number: 1, distance: 0.4, licence: 'CC BY 4.0' }]),
      { rank: 2, source: 'https://example.org/b.jpg', status: 'rejected', reason: { code: 'not_the_member', message: 'This photo shows someone else.' } },
    ],
  };
}

describe('the search answer', () => {
  test('on Telegram and Discord it names the /review command', () => {
    for (const target of [TELEGRAM, DISCORD]) {
      const text = searchText(searchResult('1a2b3c4d'), phrasingFor(target));
      assert.match(text, /: \/review 1a2b3c4d accept, \/review 1a2b3c4d accept except 2 5, or \/review 1a2b3c4d discard\.$/);
      assert.doesNotMatch(text, /idolens/);
    }
  });

  test('for the CLI (its --queue, the outbox) it names the idolens pending command', () => {
    for (const kind of ['caller', 'outbox', 'none'] as const) {
      const text = searchText(searchResult('1a2b3c4d'), phrasingFor({ kind }));
      assert.match(text, /: idolens pending accept 1a2b3c4d, idolens pending accept 1a2b3c4d --except 2,5, or idolens pending discard 1a2b3c4d\.$/);
      assert.doesNotMatch(text, /\/review/);
    }
  });

  test('the same result reads the same apart from the commands, and names none when nothing was kept', () => {
    const chat = searchText(searchResult('1a2b3c4d'), chatPhrasing('/')).split('\n');
    const cli = searchText(searchResult('1a2b3c4d'), CLI_PHRASING).split('\n');
    assert.deepEqual(chat.slice(0, -1), cli.slice(0, -1));
    assert.deepEqual(chat.slice(0, -1), [
      'Nayeon (TWICE): 1 of 2 search results kept for review.',
      'Left out: 1 × This photo shows someone else.',
      'Licences: CC BY 4.0.',
    ]);
    const nothingKept = searchText(searchResult(undefined), CLI_PHRASING);
    assert.equal(nothingKept, 'Nayeon (TWICE): 0 of 1 search results kept for review.\nLeft out: 1 × This photo shows someone else.');
  });
});
