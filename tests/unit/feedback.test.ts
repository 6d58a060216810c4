/**
 * Fans' feedback without models: the store's feedback record (kept, moved and removed with its group and members),
 * the buttons' data within the platforms' limits, the typed grammars, and the local Discord's component rules.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { answerButtonRows } from '../../bot/shared/answer-buttons.ts';
import { faceChoices, memberChoices, parseFeedbackButton } from '../../bot/shared/feedback-buttons.ts';
import { parseReviewButton } from '../../bot/shared/review-buttons.ts';
import { answerIdOf } from '../../bot/telegram/corrections.ts';
import { correctCommand } from '../../commands/correct.ts';
import { suggestionsCommand } from '../../commands/suggestions.ts';
import type { AnswerRecord } from '../../core/feedback/answer-store.ts';
import { suggestionCaption, suggestionLine } from '../../core/feedback/suggestions.ts';
import { tallyLines, withConfusion } from '../../core/feedback/tally.ts';
import { GroupStore } from '../../core/store/group-store.ts';
import { keyvOver } from '../../core/store/open.ts';
import { emptyFeedback, type NewSample, type SuggestionRecord } from '../../core/store/records.ts';
import { checkComponents } from '../helpers/local-discord/components.ts';

const thumbnail = await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 90, g: 120, b: 200 } } }).jpeg().toBuffer();

function sample(seed: number): NewSample {
  return {
    embedding: Float32Array.from({ length: 8 }, (_, index) => Math.sin(seed + index)),
    embedderId: 'test-embedder',
    thumbnailJpeg: thumbnail,
    contentHash: seed.toString(16).padStart(64, '0'),
    box: { x: 1, y: 2, width: 30, height: 30 },
    detectionScore: 0.9,
    sharpness: 100,
    flagged: false,
    provenance: { source: `photo-${seed}.jpg`, addedBy: 'admin', addedAt: '2026-12-07T00:00:00.000Z' },
  };
}

function suggestion(number: number, member: string | null, fans: string[], shownAs: string | null = null): SuggestionRecord {
  return { number, member, shownAs, sample: sample(100 + number), fans: fans.map((user) => ({ user, name: user, at: '2026-12-07T01:00:00.000Z' })), answerId: 'abcdef01', face: 1 };
}

async function storeWithGroup(): Promise<GroupStore> {
  const store = new GroupStore(keyvOver(new Map()));
  await store.createGroup('s1', 'TWICE');
  await store.addSamples('s1', 'TWICE', 'Sana', [sample(1)]);
  await store.addSamples('s1', 'TWICE', 'Momo', [sample(2)]);
  return store;
}

async function withSuggestions(store: GroupStore, suggestions: SuggestionRecord[]): Promise<void> {
  await store.changeFeedback('s1', 'TWICE', (feedback, group) => ({
    feedback: { ...feedback, nextNumber: suggestions.length + 1, suggestions, tally: withConfusion(feedback.tally, group, 'Sana', 'Momo') },
    result: undefined,
  }));
}

describe('the store\'s feedback record', () => {
  test('keeps suggestions with their crops and tallies, read back exactly', async () => {
    const store = await storeWithGroup();
    assert.deepEqual((await store.readFeedback('s1', 'TWICE')).feedback, emptyFeedback());
    await withSuggestions(store, [suggestion(1, 'Momo', ['fan1', 'fan2'], 'Sana'), suggestion(2, null, ['fan3'])]);
    const { feedback, group } = await store.readFeedback('s1', 'TWICE');
    assert.deepEqual(feedback.suggestions.map((entry) => [entry.number, entry.member, entry.fans.length]), [[1, 'Momo', 2], [2, null, 1]]);
    assert.deepEqual(Array.from(feedback.suggestions[0]?.sample.embedding ?? []), Array.from(sample(101).embedding));
    assert.deepEqual(tallyLines(feedback.tally, group), ['Sana: 0 confirmed, 1 corrected', 'Momo ↔ Sana: 1 correction']);
  });

  test('a change that throws writes nothing; accepted samples and the record are written together', async () => {
    const store = await storeWithGroup();
    await assert.rejects(store.changeFeedback('s1', 'TWICE', () => { throw new Error('refused'); }), /refused/);
    assert.deepEqual((await store.readFeedback('s1', 'TWICE')).feedback, emptyFeedback());
    const { group } = await store.changeFeedback('s1', 'TWICE', (feedback) => ({ feedback: { ...feedback, nextNumber: 9 }, add: [{ member: 'Momo', sample: sample(7) }], result: undefined }));
    assert.equal(group.members.find((member) => member.name === 'Momo')?.sampleIds.length, 2);
    assert.equal((await store.readFeedback('s1', 'TWICE')).feedback.nextNumber, 9);
  });

  test('moves with a renamed group, and goes with a forgotten member or a deleted group', async () => {
    const store = await storeWithGroup();
    await withSuggestions(store, [suggestion(1, 'Momo', ['fan1'], 'Sana'), suggestion(2, 'Sana', ['fan2'])]);
    await store.renameGroup('s1', 'TWICE', 'TWICE2');
    await assert.rejects(store.readFeedback('s1', 'TWICE'), { code: 'group_not_found' });
    assert.equal((await store.readFeedback('s1', 'TWICE2')).feedback.suggestions.length, 2);
    await store.forgetMember('s1', 'TWICE2', 'Momo');
    const after = (await store.readFeedback('s1', 'TWICE2')).feedback;
    assert.deepEqual(after.suggestions.map((entry) => entry.member), ['Sana']);
    assert.deepEqual(after.tally.confusions, {});
    await store.deleteGroup('s1', 'TWICE2');
    await store.createGroup('s1', 'TWICE2');
    assert.deepEqual((await store.readFeedback('s1', 'TWICE2')).feedback, emptyFeedback(), 'a new group of the same name starts with nothing');
  });

  test('is per server', async () => {
    const store = await storeWithGroup();
    await withSuggestions(store, [suggestion(1, 'Momo', ['fan1'])]);
    await store.createGroup('s2', 'TWICE');
    assert.deepEqual((await store.readFeedback('s2', 'TWICE')).feedback, emptyFeedback());
  });
});

describe('suggestions as admins read them', () => {
  test('one line each: what the answer said, the name suggested, by whom, how many agree, and why to look twice', () => {
    assert.equal(suggestionLine(suggestion(3, 'Momo', ['Mina', 'Joon', 'Ada'], 'Sana')), '#3: shown as Sana, suggested Momo by Mina and 2 more fans (3 agree).');
    assert.equal(suggestionLine({ ...suggestion(4, null, ['Mina']), flag: 'This face is already one of Sana\'s photos (#2).' }), '#4: shown as unknown, suggested someone not in the group by Mina. Check: This face is already one of Sana\'s photos (#2).');
    assert.equal(suggestionCaption(suggestion(3, 'Momo', ['a', 'b'])), 'Momo ×2');
    assert.equal(suggestionCaption(suggestion(3, null, ['a'])), 'not in group');
  });
});

describe('the correction buttons', () => {
  const answer: AnswerRecord = {
    id: '0a1b2c3d', server: 's1', group: 'TWICE', createdAt: '2026-12-07T00:00:00.000Z', picture: { kind: 'url', url: 'https://cdn.example/x.jpg', name: 'x.jpg', trust: 'platform' },
    members: Array.from({ length: 30 }, (_, index) => `Member ${index + 1}`),
    faces: [{ box: { x: 0, y: 0, width: 10, height: 10 }, name: null, confidence: 0.9 }, { box: { x: 20, y: 0, width: 10, height: 10 }, name: 'Member 2', confidence: 0.6, unsureOf: 'Member 2' }],
  };

  test('"Wrong name?" and the unsure questions fit Telegram\'s 64 bytes of data and read back', () => {
    const rows = answerButtonRows({ reviewId: undefined, feedback: { answerId: answer.id, faces: 2, questions: [{ face: 2, member: 'Member 2' }] } });
    assert.deepEqual(rows.map((row) => row.map((button) => button.label)), [['Wrong name?'], ['Face 2: Member 2? Yes', 'No']]);
    for (const button of rows.flat()) assert.ok(Buffer.byteLength(button.data) <= 64, button.data);
    assert.deepEqual(rows.flat().map((button) => parseFeedbackButton(button.data)), [
      { kind: 'fix', answerId: answer.id }, { kind: 'sure', answerId: answer.id, face: 2, yes: true }, { kind: 'sure', answerId: answer.id, face: 2, yes: false },
    ]);
    assert.equal(parseFeedbackButton('fix:../../x'), undefined);
    assert.equal(answerIdOf({ reply_markup: { inline_keyboard: rows.map((row) => row.map((button) => ({ text: button.label, callback_data: button.data }))) } }), answer.id);
  });

  test('menus name the faces left to right, and offer other names than the answer gave, at most the platform\'s count', () => {
    assert.deepEqual(faceChoices(answer).map((choice) => choice.label), ['Face 1 (from the left): unknown', 'Face 2 (from the left): Member 2']);
    const forUnknown = memberChoices(answer, 1, 25);
    assert.equal(forUnknown.length, 25);
    assert.ok(!forUnknown.some((choice) => choice.value === 'nobody'), 'the answer already said "not someone I know"');
    const forNamed = memberChoices(answer, 2, 25);
    assert.equal(forNamed.length, 25);
    assert.ok(!forNamed.some((choice) => choice.value === 'Member 2'), 'not the name the answer gave');
    assert.equal(forNamed.at(-1)?.value, 'nobody');
  });

  test('the suggestions sheet\'s buttons are told apart from an image search\'s', () => {
    const [accept, reject] = answerButtonRows({ reviewId: undefined, suggestionsId: 'feedbeef' })[0] ?? [];
    assert.deepEqual([accept?.label, reject?.label], ['Accept all', 'Reject all']);
    assert.deepEqual(parseReviewButton(accept?.data ?? ''), { kind: 'suggestions', id: 'feedbeef', action: 'accept' });
    assert.deepEqual(parseReviewButton('review:feedbeef:discard'), { kind: 'search', id: 'feedbeef', action: 'discard' });
  });
});

describe('typed grammars', () => {
  const media = { images: [], video: undefined, archive: undefined };

  test('/correct reads a face number and a member from a reply to an answer, and says how otherwise', () => {
    const parse = correctCommand.text.parse;
    assert.deepEqual(parse(['2', 'Nayeon'], { ...media, answerId: '0a1b2c3d' }), { answer: '0a1b2c3d', face: 2, member: 'Nayeon' });
    assert.deepEqual(parse(['#1', 'Im', 'Nayeon'], { ...media, answerId: '0a1b2c3d' }), { answer: '0a1b2c3d', face: 1, member: 'Im Nayeon' });
    assert.throws(() => parse(['2', 'Nayeon'], media), /Reply to my answer with \/correct/);
    assert.throws(() => parse(['Nayeon'], { ...media, answerId: '0a1b2c3d' }), /Reply to my answer/);
  });

  test('/suggestions [group] [accept [except 2 5] | reject [2 5]]', () => {
    const parse = suggestionsCommand.text.parse;
    assert.deepEqual(parse([]), {});
    assert.deepEqual(parse(['TWICE']), { group: 'TWICE' });
    assert.deepEqual(parse(['TWICE', 'accept', 'except', '2', '5']), { group: 'TWICE', action: 'accept', numbers: '2 5' });
    assert.deepEqual(parse(['reject']), { action: 'reject' });
    assert.deepEqual(parse(['Girls', 'Generation', 'reject', '3']), { group: 'Girls Generation', action: 'reject', numbers: '3' });
  });
});

describe('the local Discord refuses components as Discord does', () => {
  const select = (options: number) => [{ type: 1, components: [{ type: 3, custom_id: 'menu', options: Array.from({ length: options }, (_, index) => ({ label: `Option ${index}`, value: String(index) })) }] }];

  test('a select menu has 1 to 25 options, alone in its row; at most 5 rows and 5 buttons a row', () => {
    checkComponents(select(25));
    assert.throws(() => checkComponents(select(26)), /Invalid Form Body/);
    assert.throws(() => checkComponents(select(0)), /Invalid Form Body/);
    assert.throws(() => checkComponents([{ type: 1, components: [...select(2)[0]?.components ?? [], { type: 2, style: 1, label: 'x', custom_id: 'b' }] }]), /alone in its row/);
    const button = (id: string) => ({ type: 2, style: 1, label: id, custom_id: id });
    assert.throws(() => checkComponents([{ type: 1, components: ['a', 'b', 'c', 'd', 'e', 'f'].map(button) }]), /at most 5 buttons/);
    assert.throws(() => checkComponents(Array.from({ length: 6 }, (_, index) => ({ type: 1, components: [button(`b${index}`)] }))), /at most 5 action rows/);
    assert.throws(() => checkComponents([{ type: 1, components: [button('x'.repeat(101))] }]), /custom_id/);
  });
});

