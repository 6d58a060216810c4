/**
 * The local Telegram against the real telegraf 4.16 client: the `Telegram` API class and a `Telegraf` bot on long
 * polling. These pin the protocol the fake speaks, so bot tests built on it exercise what Telegram would answer.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Markup, Telegraf, Telegram, TelegramError } from 'telegraf';
import { LocalTelegram } from '../helpers/local-telegram/local-telegram.ts';
import { pngChunk } from '../helpers/png.ts';

const TOKEN = '7123456789:AAlocalTelegramTestTokenXXXXXXXXXXX';
const PRIVATE_CHAT = 1001;
const GROUP_CHAT = -1002003004005;
const MB = 1024 * 1024;

function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.alloc((width * 3 + 1) * height);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Asserts `call` fails as Telegram would: a TelegramError with this code and a description matching `description`. */
async function rejectsWith(call: Promise<unknown>, code: number, description: RegExp): Promise<TelegramError> {
  let caught: unknown;
  await assert.rejects(call, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof TelegramError, `not a TelegramError: ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.match(caught.description, description);
  return caught;
}

let fake: LocalTelegram;
let telegram: Telegram;

before(async () => {
  fake = await LocalTelegram.start({ token: TOKEN, botUsername: 'idolens_test_bot' });
  fake.addChat({ id: PRIVATE_CHAT, type: 'private', title: 'Jisoo' });
  fake.addChat({ id: GROUP_CHAT, type: 'supergroup', title: 'Blink Lounge' });
  telegram = new Telegram(TOKEN, { apiRoot: fake.apiRoot, webhookReply: false });
});
after(async () => { await fake?.close(); });

describe('the local Telegram with telegraf', () => {
  test('getMe answers the bot user, its id taken from the token', async () => {
    const me = await telegram.getMe();
    assert.deepEqual(me, {
      id: 7123456789, is_bot: true, first_name: 'Local Test Bot', username: 'idolens_test_bot',
      can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    });
  });

  test('a wrong token is 401 Unauthorized, an unknown method 404', async () => {
    await rejectsWith(new Telegram('7123456789:wrong', { apiRoot: fake.apiRoot }).getMe(), 401, /^Unauthorized$/);
    await rejectsWith(telegram.callApi('getMeNow' as 'getMe', {}), 404, /^Not Found: method not found$/);
  });

  test('a polling bot gets a /ping command, replies with a button, and handles the press', async () => {
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: fake.apiRoot } });
    const seen: Array<{ text: string; chatType: string }> = [];
    bot.command('ping', async (ctx) => {
      seen.push({ text: ctx.message.text, chatType: ctx.chat.type });
      await ctx.sendChatAction('typing');
      await ctx.reply('pong', Markup.inlineKeyboard([Markup.button.callback('Again', 'again')]));
    });
    bot.action('again', async (ctx) => {
      await ctx.answerCbQuery('once more');
      await ctx.editMessageText('pong again');
    });
    const firstRequest = fake.requests.length;
    const running = bot.launch().then(() => 'stopped', (error: unknown) => error);
    try {
      const jisoo = fake.user(PRIVATE_CHAT, 'Jisoo');
      const asked = fake.sendMessage({ chat: PRIVATE_CHAT, from: jisoo, text: '/ping@idolens_test_bot now' });
      assert.deepEqual(asked.entities, [{ type: 'bot_command', offset: 0, length: '/ping@idolens_test_bot'.length }]);
      const reply = await fake.waitFor(() => fake.sent(PRIVATE_CHAT).find((record) => record.text === 'pong'), 5000, 'the pong reply');
      assert.deepEqual(seen, [{ text: '/ping@idolens_test_bot now', chatType: 'private' }]);
      assert.deepEqual(fake.actions(PRIVATE_CHAT).map((action) => action.action), ['typing']);
      assert.equal(reply.message.from?.id, fake.botUser.id);
      assert.ok(reply.message.message_id > asked.message_id);

      const press = fake.pressButton(reply.message, jisoo, 'again');
      await fake.waitFor(() => (reply.text === 'pong again' ? true : undefined), 5000, 'the edited reply');
      assert.equal(fake.callbackAnswer(press.id)?.text, 'once more');
      assert.equal(reply.replyMarkup, undefined, 'an edit without reply_markup drops the keyboard');
      await fake.waitFor(() => (fake.state.updates.pendingCount === 0 ? true : undefined), 5000, 'the offset to confirm both updates');
    } finally {
      bot.stop('test over');
    }
    assert.equal(await running, 'stopped');
    const launchCalls = fake.requests.slice(firstRequest, firstRequest + 3).map((request) => request.method);
    assert.deepEqual(launchCalls, ['getMe', 'deleteWebhook', 'getUpdates']);
  });

  test('sendPhoto with a Buffer is a multipart upload; the bytes come back by file_id and by the getFile path', async () => {
    const picture = png(640, 480);
    const sent = await telegram.sendPhoto(GROUP_CHAT, { source: picture }, { caption: 'labelled' });
    const largest = sent.photo.at(-1);
    assert.ok(largest);
    assert.deepEqual({ width: largest.width, height: largest.height, size: largest.file_size }, { width: 640, height: 480, size: picture.length });
    assert.ok(sent.photo.length > 1 && (sent.photo[0]?.width ?? 0) < 640, 'smaller sizes come first');
    assert.equal(sent.caption, 'labelled');
    assert.deepEqual(fake.calls('sendPhoto').at(-1)?.params.photo, { file: 'photo.jpg', size: picture.length });
    assert.ok(fake.fileBytes(largest.file_id).equals(picture));
    assert.ok(fake.sent(GROUP_CHAT).at(-1)?.bytes?.equals(picture));

    const link = await telegram.getFileLink(largest.file_id);
    const download = await fetch(link);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(picture));
    const resent = await telegram.sendDocument(PRIVATE_CHAT, largest.file_id);
    assert.equal(resent.document.file_id, largest.file_id, 'a known file_id can be sent again');
  });

  test('getFile refuses a 25 MB file as too big and an unknown id as invalid', async () => {
    const big = fake.addFileOfSize(25 * MB, { name: 'clip.mp4', mimeType: 'video/mp4' });
    await rejectsWith(telegram.getFile(big), 400, /^Bad Request: file is too big$/);
    await rejectsWith(telegram.getFile('no-such-file'), 400, /^Bad Request: invalid file_id$/);
    const small = fake.addFile(Buffer.from('hello'), { name: 'hello.txt' });
    const file = await telegram.getFile(small);
    assert.deepEqual({ id: file.file_id, size: file.file_size }, { id: small, size: 5 });
    assert.match(file.file_path ?? '', /^documents\/file_\d+\.txt$/);
  });

  test('a planned 429 reaches the client with retry_after, and the retry after waiting goes through', async () => {
    fake.failNext('sendMessage', { retryAfter: 1 });
    const error = await rejectsWith(telegram.sendMessage(PRIVATE_CHAT, 'hello'), 429, /^Too Many Requests: retry after 1$/);
    assert.equal(error.parameters?.retry_after, 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await telegram.sendMessage(PRIVATE_CHAT, 'hello');
    const [refused, accepted] = fake.calls('sendMessage').slice(-2);
    assert.deepEqual([refused?.status, accepted?.status], [429, 200]);
    assert.ok((accepted?.time ?? 0) - (refused?.time ?? 0) >= 1000);
  });

  test('editMessageText with the same text is "message is not modified"; a new text is an edit', async () => {
    const sent = await telegram.sendMessage(GROUP_CHAT, 'Working on it…');
    await rejectsWith(telegram.editMessageText(GROUP_CHAT, sent.message_id, undefined, 'Working on it…'), 400, /^Bad Request: message is not modified: /);
    await telegram.editMessageText(GROUP_CHAT, sent.message_id, undefined, 'Done.');
    const record = fake.sent(GROUP_CHAT).find((entry) => entry.message.message_id === sent.message_id);
    assert.deepEqual({ text: record?.text, edits: record?.edits }, { text: 'Done.', edits: 1 });
    await telegram.deleteMessage(GROUP_CHAT, sent.message_id);
    await rejectsWith(telegram.editMessageText(GROUP_CHAT, sent.message_id, undefined, 'Again'), 400, /^Bad Request: message to edit not found$/);
  });

  test('a caption over 1024 characters and an upload over the limit are refused', async () => {
    await rejectsWith(telegram.sendPhoto(PRIVATE_CHAT, { source: png(8, 8) }, { caption: 'x'.repeat(1025) }), 400, /^Bad Request: message caption is too long$/);
    const small = await LocalTelegram.start({ token: TOKEN, uploadLimitBytes: 1024 });
    try {
      small.addChat({ id: PRIVATE_CHAT, type: 'private' });
      const client = new Telegram(TOKEN, { apiRoot: small.apiRoot });
      await rejectsWith(client.sendDocument(PRIVATE_CHAT, { source: Buffer.alloc(2048), filename: 'big.bin' }), 413, /^Request Entity Too Large$/);
    } finally {
      await small.close();
    }
  });

  test('telegraf 4.16 drops reply_parameters from multipart uploads; sent as a JSON form field, the fake honours it', async () => {
    const asked = fake.sendMessage({ chat: GROUP_CHAT, from: fake.user(42, 'Lisa'), text: '/identify' });
    const dropped = await telegram.sendPhoto(GROUP_CHAT, { source: png(8, 8) }, { reply_parameters: { message_id: asked.message_id } });
    assert.equal(dropped.reply_to_message, undefined);
    assert.equal(fake.calls('sendPhoto').at(-1)?.params.reply_parameters, undefined, 'telegraf never sent it');
    const text = await telegram.sendMessage(GROUP_CHAT, 'plain', { reply_parameters: { message_id: asked.message_id } });
    assert.equal(text.reply_to_message?.message_id, asked.message_id, 'JSON calls keep reply_parameters');

    const form = new FormData();
    form.set('chat_id', String(GROUP_CHAT));
    form.set('reply_parameters', JSON.stringify({ message_id: asked.message_id }));
    form.set('photo', new Blob([png(8, 8)], { type: 'image/png' }), 'face.png');
    const answer = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendphoto`, { method: 'POST', body: form });
    const body = (await answer.json()) as { ok: boolean; result: { reply_to_message?: { message_id: number }; photo: unknown[] } };
    assert.deepEqual({ ok: body.ok, replyTo: body.result.reply_to_message?.message_id, photos: body.result.photo.length }, { ok: true, replyTo: asked.message_id, photos: 1 });
  });

  test('getChatMember answers the roles the test set; setMyCommands is kept per scope', async () => {
    fake.user(7, 'Rosé');
    fake.setRole(GROUP_CHAT, 7, 'administrator');
    assert.equal((await telegram.getChatMember(GROUP_CHAT, 7)).status, 'administrator');
    assert.equal((await telegram.getChatMember(GROUP_CHAT, 42)).status, 'member');
    await rejectsWith(telegram.getChatMember(-1, 7), 400, /^Bad Request: chat not found$/);
    await telegram.setMyCommands([{ command: 'identify', description: 'Name the faces' }], { scope: { type: 'all_private_chats' } });
    assert.deepEqual(await telegram.getMyCommands({ scope: { type: 'all_private_chats' } }), [{ command: 'identify', description: 'Name the faces' }]);
    assert.deepEqual(await telegram.getMyCommands(), []);
    await rejectsWith(telegram.setMyCommands([{ command: 'Identify', description: 'x' }]), 400, /^Bad Request: BOT_COMMAND_INVALID$/);
    assert.deepEqual(fake.commands().map((entry) => entry.scope), [{ type: 'all_private_chats' }]);
  });

  test('while a webhook is set getUpdates is a 409 conflict; queued updates reach telegraf\'s webhook with the secret token', async () => {
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: fake.apiRoot } });
    bot.command('start', async (ctx) => {
      await ctx.reply('welcome');
      await ctx.sendChatAction('typing');
    });
    const handle = bot.webhookCallback('/hook', { secretToken: 'sesame' });
    const receiver = createServer((request, response) => void handle(request, response));
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await telegram.setWebhook(url, { secret_token: 'sesame', drop_pending_updates: true });
      await rejectsWith(telegram.callApi('getUpdates', {}), 409, /^Conflict: can't use getUpdates method while webhook is active/);
      await rejectsWith(telegram.setWebhook('http://example.com/hook'), 400, /^Bad Request: bad webhook: An HTTPS URL must be provided for webhook$/);
      const started = fake.sendMessage({ chat: PRIVATE_CHAT, from: fake.user(PRIVATE_CHAT, 'Jisoo'), text: '/start' });
      assert.deepEqual(await telegram.getWebhookInfo(), { url, has_custom_certificate: false, pending_update_count: 1, max_connections: 40 });
      assert.deepEqual(await fake.deliverToWebhook(), [200]);
      assert.equal(fake.sent(PRIVATE_CHAT).at(-1)?.text, 'welcome');
      assert.equal(fake.calls('sendChatAction').at(-1)?.viaWebhookReply, true, 'telegraf answered sendChatAction in the webhook response');
      assert.equal(fake.actions(PRIVATE_CHAT).length, 2);
      assert.equal(await fake.postToWebhook({ update_id: 1, message: started }, 'wrong'), 403);
      await telegram.deleteWebhook({ drop_pending_updates: true });
      assert.deepEqual(await telegram.callApi('getUpdates', { timeout: 0 }), []);
    } finally {
      receiver.close();
      receiver.closeAllConnections();
    }
  });

  test('a long poll waits for the next update, and close() ends a waiting poll at once', async () => {
    const own = await LocalTelegram.start({ token: TOKEN });
    const client = new Telegram(TOKEN, { apiRoot: own.apiRoot });
    own.addChat({ id: PRIVATE_CHAT, type: 'private' });
    const waiting = client.callApi('getUpdates', { timeout: 10 });
    await own.waitFor(() => own.calls('getUpdates')[0], 2000, 'the long poll to arrive');
    const message = own.sendMessage({ chat: PRIVATE_CHAT, from: own.user(PRIVATE_CHAT, 'Jisoo'), text: 'hi' });
    const [update] = await waiting;
    assert.deepEqual(update, { update_id: update?.update_id, message });
    const confirmed = client.callApi('getUpdates', { offset: (update?.update_id ?? 0) + 1, timeout: 10 });
    await own.waitFor(() => own.calls('getUpdates')[1], 2000, 'the second long poll');
    const started = Date.now();
    await own.close();
    assert.deepEqual(await confirmed, []);
    assert.ok(Date.now() - started < 1000, 'close does not wait for the poll timeout');
  });
});
