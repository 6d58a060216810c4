import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeNames, looseKey } from '../../core/store/name-suggestions.ts';

const LE_SSERAFIM = ['Kim Chaewon', 'Sakura', 'Huh Yunjin', 'Kazuha', 'Hong Eunchae'];

describe('name suggestions', () => {
  it('suggests the member a typo was meant for: swapped letters, a missing or extra letter', () => {
    assert.deepEqual(closeNames('Kazhua', LE_SSERAFIM), ['Kazuha']);
    assert.deepEqual(closeNames('Sakra', LE_SSERAFIM), ['Sakura']);
    assert.deepEqual(closeNames('Huh Yunjinn', LE_SSERAFIM), ['Huh Yunjin']);
  });

  it('treats case, spaces, dashes, accents and romanisation variants as the same name', () => {
    assert.deepEqual(closeNames('Rose', ['Jisoo', 'Jennie', 'Rosé', 'Lisa']), ['Rosé']);
    assert.deepEqual(closeNames('Jisu', ['Jisoo', 'Jennie', 'Rosé', 'Lisa']), ['Jisoo']);
    assert.deepEqual(closeNames('HuhYunjin', LE_SSERAFIM), ['Huh Yunjin']);
    assert.deepEqual(closeNames('le-sserafim', ['LE_SSERAFIM', 'TWICE']), ['LE_SSERAFIM']);
    assert.equal(looseKey('Chae-young'), looseKey('Chaeyoung'));
  });

  it('suggests nothing for a name that is really new, nor for the name itself', () => {
    assert.deepEqual(closeNames('Nayeon', LE_SSERAFIM), []);
    assert.deepEqual(closeNames('kazuha', LE_SSERAFIM), []);
    assert.deepEqual(closeNames('Mina', ['Momo', 'Sana', 'Jihyo']), []);
  });
});
