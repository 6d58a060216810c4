import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TelegramError } from 'telegraf';
import { AlbumCollector } from '../../bot/telegram/albums.ts';
import { parseCommandText } from '../../bot/telegram/command-text.ts';
import { words, type MessageMedia } from '../../commands/text-grammar.ts';
import { menuEntries } from '../../bot/telegram/command-menu.ts';
import { PendingChoices } from '../../bot/telegram/pending-choices.ts';
import { fitText } from '../../bot/shared/fit-answer.ts';
import { redactToken, telegramCall, TelegramTransportError } from '../../bot/telegram/transport-error.ts';
import { COMMANDS, findCommand, type Attachment, type RawOptions } from '../../commands/index.ts';
import { IdolensError } from '../../core/errors.ts';

const photo = (id: string): Attachment => ({ platformFile: { platform: 'telegram', fileId: id }, name: `${id}.jpg`, size: 1000, contentType: 'image/jpeg' });
const noMedia: MessageMedia = { images: [], video: undefined, archive: undefined };

/** The options a command reads from its typed words, by its own grammar. */
function commandOptions(name: string, typed: string[], media: MessageMedia): RawOptions {
  const grammar = findCommand(name, 'slash')?.text;
  assert.ok(grammar, `/${name} reads typed words`);
  return grammar.parse(typed, media);
}

describe('Telegram command text', () => {
  test('a command is read with its @bot name and quoted words kept whole', () => {
    assert.deepEqual(parseCommandText('/Enroll@idolens_bot TWICE "Jeong Yeon"'), { name: 'enroll', addressedTo: 'idolens_bot', args: ['TWICE', 'Jeong Yeon'] });
    assert.deepEqual(parseCommandText('/help'), { name: 'help', addressedTo: undefined, args: [] });
    assert.equal(parseCommandText('hello /identify'), undefined);
    assert.deepEqual(words('“Kim Jisoo” it\'s'), ['Kim Jisoo', 'it\'s']);
  });

  test('enroll takes the group, the member (several words), links and an album\'s photos', () => {
    const media: MessageMedia = { ...noMedia, images: [photo('a'), photo('b')] };
    const options = commandOptions('enroll', ['BLACKPINK', 'Kim', 'Jisoo', 'https://example.com/j.jpg'], media);
    assert.deepEqual(options, { group: 'BLACKPINK', member: 'Kim Jisoo', urls: 'https://example.com/j.jpg', photo1: photo('a'), photo2: photo('b') });
    assert.throws(() => commandOptions('enroll', [], media), (error: unknown) => error instanceof IdolensError && error.code === 'invalid_option' && /\/enroll <group> <member>/.test(error.message));
  });

  test('sheet and forget read "[group] member [number]"; settings read key-value pairs', () => {
    assert.deepEqual(commandOptions('sheet', ['Lisa'], noMedia), { member: 'Lisa' });
    assert.deepEqual(commandOptions('forget', ['BLACKPINK', 'Lisa', '#3'], noMedia), { group: 'BLACKPINK', member: 'Lisa', sample: 3 });
    assert.deepEqual(commandOptions('forget', ['Lisa'], noMedia), { member: 'Lisa' });
    assert.deepEqual(commandOptions('settings', ['threshold', '0.6', 'size', 'medium', 'default', 'ITZY'], noMedia), { unknown_threshold: 0.6, output_size: 'medium', default_group: 'ITZY' });
    assert.deepEqual(commandOptions('settings', ['reset'], noMedia), { reset: true });
    assert.throws(() => commandOptions('settings', ['colour', 'red'], noMedia), /Use it like this: \/settings/);
    assert.deepEqual(commandOptions('group', ['rename', 'ITZY', 'ITZY', 'Japan'], noMedia), { subcommand: 'rename', group: 'ITZY', new_name: 'ITZY Japan' });
    assert.throws(() => commandOptions('group', ['explode'], noMedia), /\/group create <name>/);
  });

  test('the command menu lists everyone\'s commands for all, and admin commands only for admins and private chats', () => {
    const everyone = menuEntries(COMMANDS, false).map((entry) => entry.command);
    const admins = menuEntries(COMMANDS, true).map((entry) => entry.command);
    assert.ok(everyone.includes('identify') && !everyone.includes('enroll'));
    assert.ok(admins.includes('enroll') && admins.includes('settings'));
    for (const entry of menuEntries(COMMANDS, true)) assert.match(entry.command, /^[a-z0-9_]{1,32}$/);
  });

  test('long texts are cut at a line end with a note', () => {
    const text = Array.from({ length: 300 }, (_, index) => `line ${index}`).join('\n');
    const fitted = fitText(text, 1024);
    assert.ok(fitted.cut && fitted.text.length <= 1024 && fitted.text.endsWith('result.txt)'));
    assert.deepEqual(fitText('short', 1024), { text: 'short', cut: false });
  });
});

describe('Telegram transport', () => {
  const rateLimited = (seconds: number) => new TelegramError({ error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } });

  test('a 429 is retried after the time Telegram asked for', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await telegramCall('sendMessage', async () => {
      calls += 1;
      if (calls < 3) throw rateLimited(2);
      return 'sent';
    }, { wait: async (ms) => { waits.push(ms); } });
    assert.equal(result, 'sent');
    assert.deepEqual(waits, [2000, 2000]);
  });

  test('other failures and over-long waits become typed errors that keep the method', async () => {
    await assert.rejects(telegramCall('sendPhoto', async () => { throw rateLimited(3600); }, { wait: async () => {} }), (error: unknown) => error instanceof TelegramTransportError && error.status === 429 && error.retryAfterSeconds === 3600 && error.method === 'sendPhoto');
    const notModified = new TelegramError({ error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same' });
    await assert.rejects(telegramCall('editMessageText', async () => { throw notModified; }), (error: unknown) => error instanceof TelegramTransportError && error.notModified);
  });

  test('bot tokens never appear in error texts', () => {
    const error = new TelegramTransportError('getFile', undefined, 'request to https://api.telegram.org/file/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/x.jpg failed', undefined);
    assert.doesNotMatch(error.message, /AAHdq/);
    assert.equal(redactToken('bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'), 'bot<token>');
  });
});

describe('Telegram albums and questions', () => {
  test('an album is handed on once, whole and in order, after it has been quiet', async () => {
    const albums: number[][] = [];
    const collector = new AlbumCollector<{ chat: { id: number }; message_id: number; media_group_id?: string }>(50, (messages) => albums.push(messages.map((message) => message.message_id)));
    const part = (id: number) => ({ chat: { id: -5 }, message_id: id, media_group_id: 'g1' });
    assert.equal(collector.add({ chat: { id: -5 }, message_id: 1 }), false);
    for (const id of [12, 11, 13]) assert.ok(collector.add(part(id)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(albums, [[11, 12, 13]]);
    assert.deepEqual(collector.albumOf(part(12)).map((message) => message.message_id), [11, 12, 13]);
    collector.close();
  });

  test('a question is answered once, only by the user who asked, and expires', async () => {
    let now = 0;
    const choices = new PendingChoices(() => now);
    const answered: number[] = [];
    const [yes, no] = choices.add({ userId: 7, labels: ['Forget', 'Cancel'], answer: async (index) => { answered.push(index); } });
    assert.ok(yes !== undefined && no !== undefined && Buffer.byteLength(yes) <= 64);
    assert.equal(choices.take(yes, 8), 'not-yours');
    const taken = choices.take(no, 7);
    assert.ok(typeof taken === 'object' && taken.index === 1);
    assert.equal(choices.take(yes, 7), 'expired', 'the question is closed once answered');
    const [late] = choices.add({ userId: 7, labels: ['A'], answer: async () => {} });
    now += 11 * 60 * 1000;
    assert.equal(choices.take(late ?? '', 7), 'expired');
    assert.equal(choices.take('c:zz:1', 7), 'expired');
  });
});
