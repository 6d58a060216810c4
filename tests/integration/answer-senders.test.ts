/**
 * One answer, sent by each platform's sender against the local fakes: long texts are cut at the platform's limit
 * with the whole text attached as result.txt (with files, too); a refusal after a public deferral ends up seen by
 * the user alone, as Discord's first-follow-up rule demands.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REST } from 'discord.js';
import sharp from 'sharp';
import { Telegram } from 'telegraf';
import { DiscordSender } from '../../bot/discord/discord-sender.ts';
import { TelegramSender } from '../../bot/telegram/telegram-sender.ts';
import type { Answer } from '../../commands/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { DiscordTarget } from '../../workers/delivery/delivery.ts';
import { privateRefusal, shownMessages } from '../helpers/discord-harness.ts';
import type { InteractionRecord } from '../helpers/local-discord/interactions.ts';
import { LocalDiscord } from '../helpers/local-discord/local-discord.ts';
import { LocalTelegram } from '../helpers/local-telegram/local-telegram.ts';

const logger = createLogger('silent');
const longText = Array.from({ length: 400 }, (_, index) => `face ${index + 1}: Jennie (91%), box at ${index}, ${index}`).join('\n');
let picture: Buffer;

before(async () => {
  picture = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c0ffee' } }).jpeg().toBuffer();
});

function answerWithPicture(): Answer {
  return { text: longText, files: [{ name: 'labelled-1.jpg', contentType: 'image/jpeg', bytes: picture }] };
}

describe('the Telegram sender', () => {
  let telegram: LocalTelegram;
  let sender: TelegramSender;
  before(async () => {
    telegram = await LocalTelegram.start({ token: '7000002:AAsender-test_token-for-local-api', botUsername: 'idolens_bot' });
    sender = new TelegramSender(new Telegram(telegram.token, { apiRoot: telegram.apiRoot }), logger);
  });
  after(() => telegram?.close());

  test('a long answer with a picture: the text cut at 4096 with a note, the picture, and result.txt with the whole text', async () => {
    const chat = telegram.addChat({ id: -2001, type: 'supergroup', title: 'Senders' });
    const asked = telegram.sendMessage({ chat: chat.id, from: telegram.user(5, 'Fan'), text: '/identify' });
    await sender.send(answerWithPicture(), { chatId: chat.id, replyTo: asked.message_id, uploadLimitBytes: 50 * 1024 * 1024 });
    const sent = telegram.sent(chat.id).filter((record) => record.message.reply_to_message?.message_id === asked.message_id);
    assert.deepEqual(sent.map((record) => record.method), ['sendMessage', 'sendPhoto', 'sendDocument']);
    const [text, photo, document] = sent;
    assert.ok(text?.text !== undefined && text.text.length <= 4096 && text.text.endsWith('(the whole result is in result.txt)'));
    assert.equal(photo?.text, undefined, 'no caption: the text did not fit one');
    assert.equal(document?.bytes?.toString('utf8'), longText);
  });

  test('a file over the upload limit is left out and said so; a short answer is the caption', async () => {
    const chat = telegram.addChat({ id: -2002, type: 'supergroup', title: 'Small uploads' });
    const asked = telegram.sendMessage({ chat: chat.id, from: telegram.user(5, 'Fan'), text: '/identify' });
    const answer: Answer = { text: 'Jennie (91%)', files: [{ name: 'labelled-1.jpg', contentType: 'image/jpeg', bytes: picture }, { name: 'huge.mp4', contentType: 'video/mp4', path: '/nonexistent', size: 60 * 1024 * 1024 }] };
    await sender.send(answer, { chatId: chat.id, replyTo: asked.message_id, uploadLimitBytes: 50 * 1024 * 1024 });
    const sent = telegram.sent(chat.id).filter((record) => record.message.reply_to_message?.message_id === asked.message_id);
    assert.deepEqual(sent.map((record) => [record.method, record.text]), [['sendPhoto', 'Jennie (91%)\n(huge.mp4 is too large to upload here.)']]);
  });
});

describe('the Discord sender', () => {
  let discord: LocalDiscord;
  let sender: DiscordSender;
  before(async () => {
    discord = await LocalDiscord.start();
    sender = new DiscordSender(new REST({ version: '10', api: discord.apiRoot }).setToken(discord.botToken), logger);
  });
  after(() => discord?.close());

  async function deferred(flags: number): Promise<{ record: InteractionRecord; target: DiscordTarget }> {
    const guild = discord.addGuild('Senders', discord.user('owner', true));
    const record = discord.slash('identify', {}, { guildId: guild.id, channelId: guild.channelId, user: discord.user('fan', false) });
    const response = await fetch(`${discord.apiRoot}/v10/interactions/${record.id}/${record.token}/callback`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 5, data: { flags } }),
    });
    assert.equal(response.status, 204);
    const target: DiscordTarget = {
      kind: 'discord', applicationId: discord.applicationId, interactionToken: record.token, channelId: guild.channelId, userId: '1',
      createdAt: Date.now(), privateAnswer: flags === 64, uploadLimitBytes: 10 * 1024 * 1024,
    };
    return { record, target };
  }

  test('a long answer with a picture: the content cut at 2000 with a note, the picture and result.txt attached', async () => {
    const { record, target } = await deferred(0);
    await sender.send(answerWithPicture(), target);
    const answer = record.edits.at(-1);
    assert.ok(answer !== undefined && answer.content.length <= 2000 && answer.content.endsWith('(the whole result is in result.txt)'));
    assert.deepEqual(answer.files.map((file) => file.name), ['labelled-1.jpg', 'result.txt']);
    assert.equal(answer.files[1]?.bytes.toString('utf8'), longText);
  });

  test('the fake keeps Discord\'s rule: the first follow-up after a public deferral becomes the public original', async () => {
    const { record } = await deferred(0);
    const response = await fetch(`${discord.apiRoot}/v10/webhooks/${discord.applicationId}/${record.token}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'only for you?', flags: 64 }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(record.followUps, []);
    assert.deepEqual(shownMessages(record).map((message) => [message.content, message.flags]), [['only for you?', 0]]);
  });

  test('a refusal after a public deferral is seen by the user alone and nothing public remains', async () => {
    const { record, target } = await deferred(0);
    await sender.resolveDeferral(target);
    await sender.fail({ code: 'group_not_found', message: 'There is no group with that name on this server.' }, target);
    const refusal = await privateRefusal(discord, record, 5_000);
    assert.equal(refusal.content, 'There is no group with that name on this server.');
  });
});
