/**
 * The Telegram bot end to end: the real telegraf client and our Bot API delivery against a local Bot API, real
 * models, real photos and the BLACKPINK ad from ../shared/faces. One service for the whole file (models load once).
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { TelegramBot } from '../../bot/telegram/bot.ts';
import { ERRORS } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { LocalTelegram } from '../helpers/local-telegram/local-telegram.ts';
import { BLACKPINK, memberName, blackpinkPhoto, enrollPhotosOf, GROUP_PHOTO, strangerPhotos } from '../helpers/fixtures.ts';
import { startJennieSearchFake, type ImageSearchFake } from '../helpers/image-search-fake.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import type { LocalMessage } from '../helpers/local-telegram/types.ts';
import { answersTo, finalAnswers, photoFields, startTelegramHarness, textAnswer, type TelegramHarness } from '../helpers/telegram-harness.ts';
import { loopedClip, sharedClip, streamFacts } from '../helpers/video.ts';

const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');

let harness: TelegramHarness;
let search: ImageSearchFake;
before(async () => {
  search = await startJennieSearchFake();
  harness = await startTelegramHarness({ COMMONS_API_URL: search.commonsUrl, IDOLENS_SEARCH_HOST_INTERVAL_MS: '0', IDOLENS_CORRECTIONS_PER_HOUR: '1' });
});
after(async () => {
  await harness?.close();
  await search?.close();
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function telegramSettings() {
  const settings = harness.service.telegram?.settings;
  assert.ok(settings, 'the harness runs the Telegram bot');
  return settings;
}

function say(chat: { id: number }, from: { id: number; is_bot: boolean; first_name: string }, text: string, extra: Partial<LocalMessage> = {}): LocalMessage {
  return harness.telegram.sendMessage({ chat: chat.id, from, text, ...extra });
}

async function samplesIn(chatId: number): Promise<number> {
  const group = await harness.service.runtime.context.store.requireGroup(`telegram:${chatId}`, 'BLACKPINK');
  return group.members.reduce((sum, member) => sum + member.sampleIds.length, 0);
}

describe('the Telegram bot against a local Bot API', () => {
  test('keeps the command menu in sync: everyone\'s commands for all, admin ones for administrators and private chats', () => {
    const menus = harness.telegram.commands();
    const names = (scope: string) => menus.find((entry) => entry.scope.type === scope)?.commands.map((command) => command.command) ?? [];
    assert.ok(names('default').includes('identify') && !names('default').includes('enroll'));
    assert.ok(names('all_chat_administrators').includes('enroll') && names('all_private_chats').includes('settings'));
  });

  test('an admin creates BLACKPINK and enrolls each member from an album, answered once with counts and a contact sheet', async () => {
    const created = say(harness.home, harness.admin, '/group create BLACKPINK');
    assert.equal(await textAnswer(harness.telegram, created), 'Created group BLACKPINK.');
    for (const member of BLACKPINK) {
      const album = `album-${member}`;
      const photos = await Promise.all(enrollPhotosOf(member).map((file) => photoFields(harness.telegram, file)));
      const messages = photos.map((photo, index) => harness.telegram.sendMessage({
        chat: harness.home.id, from: harness.admin, media_group_id: album, ...photo, ...(index === 0 ? { caption: `/enroll BLACKPINK ${memberName(member)}` } : {}),
      }));
      const first = messages[0];
      assert.ok(first);
      const answers = await finalAnswers(harness.telegram, first, (records) => records.some((record) => record.method === 'sendPhoto'));
      const sheet = answers.find((record) => record.method === 'sendPhoto');
      const accepted = Number(/(\d+) accepted/.exec(sheet?.text ?? '')?.[1] ?? 0);
      assert.ok(accepted >= 3, `${member}: ${sheet?.text}`);
      assert.ok(sheet?.bytes?.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), 'the contact sheet is a JPEG');
      assert.equal(answers.length, 1, 'one answer for the whole album');
      for (const other of messages.slice(1)) assert.equal(answersTo(harness.telegram, other).length, 0);
    }
  });

  test('a fan identifies a group photo by replying to it and gets the labelled photo with the names in the caption', async () => {
    const posted = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.admin, ...await photoFields(harness.telegram, GROUP_PHOTO.file) });
    const asked = say(harness.home, harness.fan, '/identify', { reply_to_message: posted });
    const [answer] = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendPhoto'));
    assert.equal(answer?.method, 'sendPhoto');
    for (const member of GROUP_PHOTO.members) assert.match(answer.text ?? '', new RegExp(memberName(member)));
    assert.ok(answer.bytes?.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])));
    assert.ok(harness.telegram.actions(harness.home.id).some((action) => action.action === 'upload_photo'));
  });

  test('fans correct a face with "Wrong name?" and /correct; a second fan agrees; the cap holds; only an admin accepts, and the same picture is then named', async (t) => {
    const fan2 = harness.telegram.user(303, 'Mina');
    const [strangerFile] = strangerPhotos();
    assert.ok(strangerFile);
    const posted = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.admin, ...await photoFields(harness.telegram, strangerFile) });
    const asked = say(harness.home, harness.fan, '/identify', { reply_to_message: posted });
    const [answer] = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendPhoto'));
    assert.equal(answer?.text, '1 face: unknown.');
    t.diagnostic(`identify → "${answer.text}"`);
    const wrongName = answer.replyMarkup?.inline_keyboard.flat().find((button) => button.text === 'Wrong name?');
    assert.ok(wrongName && 'callback_data' in wrongName, 'a "Wrong name?" button under the answer');
    const press = harness.telegram.pressButton(answer.message, harness.fan, wrongName.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(press.id), 10_000, 'the press answered');
    const [question] = await harness.telegram.waitFor(() => {
      const found = answersTo(harness.telegram, answer.message).filter((record) => record.text === 'Who is face 1 really?');
      return found.length > 0 ? found : undefined;
    }, 10_000, 'the question');
    const choices = question?.replyMarkup?.inline_keyboard.flat() ?? [];
    assert.deepEqual(choices.map((button) => button.text), ['Jennie', 'Jisoo', 'Lisa', 'Rose'], 'the members, not what the answer already said');
    const lisa = choices[2];
    assert.ok(question && lisa && 'callback_data' in lisa);
    const byOther = harness.telegram.pressButton(question.message, fan2, lisa.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(byOther.id), 10_000, 'the refusal of someone else\'s press');
    assert.match(harness.telegram.callbackAnswer(byOther.id)?.text ?? '', /Only the person who asked/);
    harness.telegram.pressButton(question.message, harness.fan, lisa.callback_data);
    const thanks = await harness.telegram.waitFor(() => harness.telegram.sent(harness.home.id).find((record) => /^Thanks! Your suggestion that face 1 is Lisa/.test(record.text ?? '')), 60_000, 'the thanks');
    assert.equal(thanks.text, 'Thanks! Your suggestion that face 1 is Lisa (#1) is waiting for an admin (/suggestions).');
    t.diagnostic(`Fan: Wrong name? → Lisa → "${thanks.text}"`);

    const overCap = say(harness.home, harness.fan, '/correct 1 Rose', { reply_to_message: answer.message });
    const refusal = await textAnswer(harness.telegram, overCap);
    assert.match(refusal, /You have suggested 1 correction here in the last hour/);
    t.diagnostic(`Fan: /correct 1 Rose → "${refusal}"`);
    const agree = say(harness.home, fan2, '/correct 1 Lisa', { reply_to_message: answer.message });
    const agreed = await harness.telegram.waitFor(() => answersTo(harness.telegram, agree).find((record) => /Thanks/.test(record.text ?? '')), 60_000, 'the agreement');
    assert.match(agreed.text ?? '', /\(#1\).* 2 fans now say so\./);
    t.diagnostic(`Mina: /correct 1 Lisa → "${agreed.text}"`);
    const notAReply = say(harness.home, fan2, '/correct 1 Lisa');
    assert.match(await textAnswer(harness.telegram, notAReply), /^Reply to my answer with \/correct <face number>/);

    const byFan = say(harness.home, harness.fan, '/suggestions');
    assert.match(await textAnswer(harness.telegram, byFan), /administrators/);
    const shown = say(harness.home, harness.admin, '/suggestions');
    const [sheet] = await finalAnswers(harness.telegram, shown, (records) => records.some((record) => record.method === 'sendPhoto'));
    assert.match(sheet?.text ?? '', /^1 suggestion from fans for BLACKPINK:\n#1: shown as unknown, suggested Lisa by Fan and 1 more fan \(2 agree\)\./);
    t.diagnostic(`Ada: /suggestions → "${sheet?.text ?? ''}"`);
    const accept = sheet?.replyMarkup?.inline_keyboard.flat().find((button) => button.text === 'Accept all');
    assert.ok(sheet && accept && 'callback_data' in accept);
    const fanPress = harness.telegram.pressButton(sheet.message, harness.fan, accept.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(fanPress.id), 10_000, 'the refusal of a fan\'s press');
    assert.match(harness.telegram.callbackAnswer(fanPress.id)?.text ?? '', /administrators/);
    harness.telegram.pressButton(sheet.message, harness.admin, accept.callback_data);
    const added = await harness.telegram.waitFor(() => harness.telegram.sent(harness.home.id).find((record) => /^Added 1 suggested photo/.test(record.text ?? '')), 30_000, 'the decision');
    t.diagnostic(`Ada: Accept all → "${added.text ?? ''}"`);

    const again = say(harness.home, harness.fan, '/identify', { reply_to_message: posted });
    const [named] = await finalAnswers(harness.telegram, again, (records) => records.some((record) => record.method === 'sendPhoto'));
    assert.match(named?.text ?? '', /^1 face: Lisa \(\d+%\)\.$/);
    t.diagnostic(`identify again (after the retrain) → "${named?.text ?? ''}"`);
  });

  test('a face the engine was unsure of gets "Face N: name? Yes / No": yes counts once per fan, no asks who it is', async () => {
    const strict = say(harness.home, harness.admin, '/settings group BLACKPINK threshold 0.9');
    assert.match(await textAnswer(harness.telegram, strict), /0\.9/);
    try {
      const posted = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.admin, ...await photoFields(harness.telegram, GROUP_PHOTO.file) });
      const asked = say(harness.home, harness.fan, '/identify', { reply_to_message: posted });
      const [answer] = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendPhoto'));
      assert.ok(answer);
      const rows = answer.replyMarkup?.inline_keyboard ?? [];
      const question = rows.find((row) => /^Face 1: .+\? Yes$/.test(row[0]?.text ?? ''));
      assert.ok(question, `a question under ${answer.text ?? ''}: ${JSON.stringify(rows)}`);
      const [yes, no] = question;
      assert.ok(yes && 'callback_data' in yes && no && 'callback_data' in no && no.text === 'No');
      const member = /^Face 1: (.+)\? Yes$/.exec(yes.text)?.[1] ?? '';
      const voter = harness.telegram.user(404, 'Joon');
      const first = harness.telegram.pressButton(answer.message, voter, yes.callback_data);
      await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(first.id), 10_000, 'the thanks');
      assert.equal(harness.telegram.callbackAnswer(first.id)?.text, `Thanks: noted that face 1 is ${member}.`);
      const again = harness.telegram.pressButton(answer.message, voter, yes.callback_data);
      await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(again.id), 10_000, 'the second press');
      assert.equal(harness.telegram.callbackAnswer(again.id)?.text, 'You already confirmed that one.');
      const { feedback } = await harness.service.runtime.context.store.readFeedback(`telegram:${harness.home.id}`, 'BLACKPINK');
      assert.equal(feedback.tally.confirmed[member.toLowerCase()], 1);
      const doubter = harness.telegram.user(505, 'Seo');
      harness.telegram.pressButton(answer.message, doubter, no.callback_data);
      await harness.telegram.waitFor(() => answersTo(harness.telegram, answer.message).find((record) => record.text === 'Who is face 1 really?'), 10_000, 'the question');
    } finally {
      await textAnswer(harness.telegram, say(harness.home, harness.admin, '/settings group BLACKPINK threshold 0.5'));
    }
  });

  test('a clip comes back as an MP4 with its audio, a chart and a labelled still that carries the correction buttons, after progress edits', async () => {
    const fileId = harness.telegram.addFile(await readFile(AD), { name: 'ad.mp4', mimeType: 'video/mp4' });
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, caption: '/annotate', video: harness.telegram.videoOf(fileId) });
    const answers = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendVideo') && records.filter((record) => record.method === 'sendPhoto').length === 2, 300_000);
    const [chart, still] = answers.filter((record) => record.method === 'sendPhoto');
    assert.ok(chart?.bytes?.subarray(1, 4).equals(Buffer.from('PNG')) && chart.replyMarkup === undefined, 'the chart, without buttons');
    assert.ok(still && still.bytes?.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), 'the labelled still');
    assert.ok(still.replyMarkup?.inline_keyboard.flat().some((button) => button.text === 'Wrong name?'), 'the buttons go under the still they are about');
    const video = answers.find((record) => record.method === 'sendVideo');
    assert.ok(video?.bytes);
    const saved = path.join(os.tmpdir(), `idolens-telegram-${process.pid}.mp4`);
    await writeFile(saved, video.bytes);
    const streams = (await streamFacts(saved)).map((stream) => stream.codecType);
    assert.ok(streams.includes('audio') && streams.includes('video'), streams.join(','));
    assert.match(video.text ?? '', /\nAt \d+:\d+\.\d \(the picture\): \d+ faces?/, 'the summary, with the still in words, is the caption');
    assert.equal(video.replyMarkup, undefined);
    const working = harness.telegram.sent(harness.home.id).find((record) => record.message.reply_to_message?.message_id === asked.message_id && record.method === 'sendMessage');
    assert.ok(working !== undefined && working.edits > 0 && working.deleted, 'progress was shown, then the working message removed');
    assert.ok(harness.telegram.actions(harness.home.id).some((action) => action.action === 'upload_video'));
  });

  test('/cut <member> as the caption of a clip answers with her own cut, its stretches in the caption', async () => {
    const fileId = harness.telegram.addFile(await readFile(AD), { name: 'ad.mp4', mimeType: 'video/mp4' });
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, caption: '/cut Jisoo', video: harness.telegram.videoOf(fileId) });
    const answers = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendVideo'), 300_000);
    const video = answers.find((record) => record.method === 'sendVideo');
    assert.match(video?.text ?? '', /^Jisoo's cut of ad\.mp4: \d\.\d s of \d\.\d s, 1 stretch/);
    const without = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, text: '/cut Jisoo' });
    assert.match(await textAnswer(harness.telegram, without), /Send it like this: \/cut \[group\] <member> as the caption of a clip/);
  });

  test('the person who asked cancels a running clip with the Cancel button under its working message; nobody else can', async () => {
    const long = await loopedClip(sharedClip('liveportrait', 'driving_d6.mp4'), 4, path.join(os.tmpdir(), `idolens-telegram-long-${process.pid}.mp4`));
    const fileId = harness.telegram.addFile(await readFile(long), { name: 'long.mp4', mimeType: 'video/mp4' });
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, caption: '/annotate', video: harness.telegram.videoOf(fileId) });
    const working = await harness.telegram.waitFor(() => answersTo(harness.telegram, asked).find((record) => /^Working on it/.test(record.text ?? '')), 120_000, 'progress');
    const cancel = working.replyMarkup?.inline_keyboard.flat().find((button) => button.text === 'Cancel');
    assert.ok(cancel !== undefined && 'callback_data' in cancel, 'progress keeps the Cancel button');
    const byAdmin = harness.telegram.pressButton(working.message, harness.admin, cancel.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(byAdmin.id), 10_000, 'the refusal');
    assert.match(harness.telegram.callbackAnswer(byAdmin.id)?.text ?? '', /Only the person who asked can cancel this/);
    const pressed = Date.now();
    harness.telegram.pressButton(working.message, harness.fan, cancel.callback_data);
    await harness.telegram.waitFor(() => (working.text === ERRORS.cancelled.message ? true : undefined), 30_000, 'the cancelled notice');
    assert.ok(Date.now() - pressed < 15_000, `stopped ${Date.now() - pressed} ms after the press`);
    assert.equal(working.replyMarkup, undefined, 'the button is gone');
    assert.deepEqual(answersTo(harness.telegram, asked).filter((record) => record.method === 'sendVideo'), []);
  });

  test('a fan\'s /enroll is refused in a reply to the fan\'s message; nothing is downloaded and nothing changes', async () => {
    const before = await samplesIn(harness.home.id);
    const fileLookups = harness.telegram.calls('getFile').length;
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, caption: '/enroll BLACKPINK Jennie', ...await photoFields(harness.telegram, enrollPhotosOf('jennie', 6)[5] ?? '') });
    assert.equal(await textAnswer(harness.telegram, asked), ERRORS.admin_only.message);
    const [refusal, ...more] = answersTo(harness.telegram, asked);
    assert.equal(refusal?.method, 'sendMessage', 'a reply to the fan\'s own message');
    assert.deepEqual(more, [], 'no "working" message');
    assert.equal(harness.telegram.calls('getFile').length, fileLookups, 'the photo was never fetched');
    assert.equal(await samplesIn(harness.home.id), before);
  });

  test('an admin\'s typo in a member name is refused with the closest member and how to create it anyway; nothing is fetched or changed', async () => {
    const before = await samplesIn(harness.home.id);
    const fileLookups = harness.telegram.calls('getFile').length;
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.admin, caption: '/enroll BLACKPINK Jisu', ...await photoFields(harness.telegram, enrollPhotosOf('jisoo', 6)[5] ?? '') });
    const text = await textAnswer(harness.telegram, asked);
    assert.equal(text, 'BLACKPINK has no member named "Jisu" yet. Did you mean Jisoo? To create a new member named "Jisu" anyway, add the new option: /enroll BLACKPINK Jisu new');
    assert.equal(harness.telegram.calls('getFile').length, fileLookups, 'the photo was never fetched');
    assert.equal(await samplesIn(harness.home.id), before);
    const wrongGroup = say(harness.home, harness.admin, '/members BLAKCPINK');
    assert.equal(await textAnswer(harness.telegram, wrongGroup), 'There is no group named "BLAKCPINK" on this server. Did you mean BLACKPINK?');
  });

  test('an admin keeps a photo flagged for review with /keep: it stays and no longer counts as to review', async () => {
    const server = `telegram:${harness.home.id}`;
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.admin, caption: '/enroll BLACKPINK Jennie', ...await photoFields(harness.telegram, blackpinkPhoto('lisa', 6)) });
    const [enrolled] = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => /flagged for review/.test(record.text ?? '')));
    assert.match(enrolled?.text ?? '', /1 flagged for review/);
    const flaggedAt = (await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Jennie')).findIndex((sample) => sample.flagged) + 1;
    assert.ok(flaggedAt > 0);
    const kept = say(harness.home, harness.admin, `/keep BLACKPINK Jennie ${flaggedAt}`);
    assert.match(await textAnswer(harness.telegram, kept), new RegExp(`^Kept #${flaggedAt} of Jennie: checked, no longer to review\\. Nothing left to review\\.`));
    const samples = await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Jennie');
    assert.equal(samples.filter((sample) => sample.flagged).length, 0);
    await harness.service.runtime.context.store.forgetSample(server, 'BLACKPINK', 'Jennie', flaggedAt);
  });

  test('/help says what to do first for whoever asks, with an example answer picture', async (t) => {
    const fanAsks = say(harness.home, harness.fan, '/help');
    const fan = await finalAnswers(harness.telegram, fanAsks, (records) => records.some((record) => record.method === 'sendPhoto'));
    const fanText = fan.map((record) => record.text ?? '').join('\n');
    t.diagnostic(`help, fan of a chat with BLACKPINK:\n${fanText}`);
    assert.match(fanText, /^Start here: send a screenshot with \/identify and I put a name on every face I know \(BLACKPINK\)\./);
    assert.ok(fan.find((record) => record.method === 'sendPhoto')?.bytes?.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), 'the example answer is a JPEG');
    const empty = harness.telegram.addChat({ id: -1010, type: 'supergroup', title: 'New Fans' });
    harness.telegram.setRole(empty.id, harness.admin.id, 'creator');
    const adminAsks = say(empty, harness.admin, '/help');
    const admin = (await finalAnswers(harness.telegram, adminAsks, (records) => records.some((record) => record.method === 'sendPhoto'))).map((record) => record.text ?? '').join('\n');
    t.diagnostic(`help, admin of a chat without groups:\n${admin}`);
    assert.match(admin, /^Start here: create a group, then enroll its members with a few photos each: \/group create BLACKPINK, then \/enroll BLACKPINK Jennie/);
  });

  test('answers longer than a message are cut at Telegram\'s limit and come whole as result.txt, quick and queued', async () => {
    const chat = harness.telegram.addChat({ id: -1009, type: 'supergroup', title: 'Long Lists' });
    harness.telegram.setRole(chat.id, harness.admin.id, 'creator');
    const names = Array.from({ length: 90 }, (_, index) => `Long Group Name Number ${String(index).padStart(3, '0')} Extra`);
    for (const name of names) await harness.service.runtime.context.store.createGroup(`telegram:${chat.id}`, name);
    for (const [text, method] of [['/settings', 'quick'], ['/group list', 'queued']] as const) {
      const asked = say(chat, harness.admin, text);
      const answers = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendDocument'));
      const shown = answers.find((record) => record.method === 'sendMessage');
      const file = answers.find((record) => record.method === 'sendDocument');
      assert.ok(shown?.text !== undefined && shown.text.length <= 4096 && /result\.txt\)$/.test(shown.text), `${method}: the text is cut with a note`);
      const whole = file?.bytes?.toString('utf8') ?? '';
      for (const name of names) assert.ok(whole.includes(name), `${method}: result.txt has ${name}`);
    }
  });

  test('an anonymous admin (a message sent as the group) may run admin commands', async () => {
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.telegram.user(1087968824, 'Group'), sender_chat: harness.home, text: '/settings size medium' });
    assert.match(await textAnswer(harness.telegram, asked), /Output size: medium/);
  });

  test('a 25 MB file is refused before anything is downloaded', async () => {
    const fileId = harness.telegram.addFileOfSize(25 * 1024 * 1024, { name: 'long.mp4', mimeType: 'video/mp4' });
    const asked = harness.telegram.sendMessage({ chat: harness.home.id, from: harness.fan, caption: '/annotate', video: harness.telegram.videoOf(fileId) });
    assert.match(await textAnswer(harness.telegram, asked), /25(\.0)? MiB; Telegram lets bots download files up to 20(\.0)? MiB/);
    assert.ok(!harness.telegram.calls('getFile').some((call) => call.params.file_id === fileId));
  });

  test('a 429 is waited out for the time Telegram asks, then the answer arrives', async () => {
    harness.telegram.failNext('sendMessage', { retryAfter: 1 });
    const asked = say(harness.home, harness.fan, '/members');
    assert.match(await textAnswer(harness.telegram, asked), /BLACKPINK/);
    const calls = harness.telegram.calls('sendMessage');
    const limitedAt = calls.findIndex((call) => call.status === 429);
    const limited = calls[limitedAt];
    const retried = calls[limitedAt + 1];
    assert.ok(limited !== undefined && retried !== undefined, 'a 429 and its retry');
    assert.ok(retried.time - limited.time >= 1000, `retried after ${retried.time - limited.time} ms`);
  });

  test('a plain photo in a private chat is taken as /identify there, in the fan\'s own space (no groups yet)', async () => {
    const sent = harness.telegram.sendMessage({ chat: harness.privateChat.id, from: harness.fan, ...await photoFields(harness.telegram, GROUP_PHOTO.file) });
    assert.match(await textAnswer(harness.telegram, sent), /no groups here yet/);
  });

  test('with several groups and no default the bot asks which one with buttons; forget asks for confirmation', async () => {
    const created = say(harness.other, harness.admin, '/group create ITZY');
    await textAnswer(harness.telegram, created);
    const second = say(harness.other, harness.admin, '/group create BLACKPINK');
    await textAnswer(harness.telegram, second);
    const asked = say(harness.other, harness.fan, '/members');
    const [question] = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.replyMarkup !== undefined));
    const buttons = question?.replyMarkup?.inline_keyboard.flat() ?? [];
    assert.deepEqual(buttons.map((button) => button.text), ['ITZY', 'BLACKPINK']);
    const itzy = buttons[0];
    assert.ok(question && itzy && 'callback_data' in itzy);
    const stranger = harness.telegram.pressButton(question.message, harness.admin, itzy.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(stranger.id), 10_000, 'the refusal of a press by someone else');
    assert.match(harness.telegram.callbackAnswer(stranger.id)?.text ?? '', /Only the person who asked/);
    harness.telegram.pressButton(question.message, harness.fan, itzy.callback_data);
    await harness.telegram.waitFor(() => answersTo(harness.telegram, asked).find((record) => /ITZY/.test(record.text ?? '') && record.replyMarkup === undefined && !/Chosen/.test(record.text ?? '')), 30_000, 'the ITZY members');

    const forget = say(harness.home, harness.admin, '/forget Lisa 1');
    const [confirm] = await finalAnswers(harness.telegram, forget, (records) => records.some((record) => record.replyMarkup !== undefined));
    assert.match(confirm?.text ?? '', /Forget photo #1 of Lisa from BLACKPINK\?/);
    const before = await samplesIn(harness.home.id);
    const yes = confirm?.replyMarkup?.inline_keyboard.flat()[0];
    assert.ok(confirm && yes && 'callback_data' in yes);
    harness.telegram.pressButton(confirm.message, harness.admin, yes.callback_data);
    await harness.telegram.waitFor(() => answersTo(harness.telegram, forget).find((record) => /Forgot photo #1 of Lisa/.test(record.text ?? '')), 30_000, 'the forget');
    assert.equal(await samplesIn(harness.home.id), before - 1);
  });

  test('a zip with one folder per member, captioned /enroll <group>, imports them all', async () => {
    const zip = buildZip(await Promise.all(['lisa', 'rose'].flatMap((member) => [0, 1].map(async (index) => ({
      name: `${memberName(member)}/${index}.jpg`, data: await readFile(blackpinkPhoto(member as 'lisa' | 'rose', index)),
    })))));
    const fileId = harness.telegram.addFile(zip, { name: 'itzy.zip', mimeType: 'application/zip' });
    const asked = harness.telegram.sendMessage({ chat: harness.other.id, from: harness.admin, caption: '/enroll ITZY', document: harness.telegram.documentOf(fileId, 'itzy.zip', 'application/zip') });
    const answer = await textAnswer(harness.telegram, asked);
    assert.match(answer, /Lisa/);
    assert.match(answer, /Rose/);
    const group = await harness.service.runtime.context.store.requireGroup(`telegram:${harness.other.id}`, 'ITZY');
    assert.deepEqual(group.members.map((member) => member.name).sort(), ['Lisa', 'Rose']);
  });

  test('an admin enrolls from an image search: a review sheet with buttons, and nothing added until an admin accepts', async () => {
    const before = (await harness.service.runtime.context.store.getSamples(`telegram:${harness.home.id}`, 'BLACKPINK', 'Jennie')).length;
    const asked = say(harness.home, harness.admin, '/enroll BLACKPINK Jennie search Jennie Kim count 8');
    const answers = await finalAnswers(harness.telegram, asked, (records) => records.some((record) => record.method === 'sendPhoto'), 180_000);
    const sheet = answers.find((record) => record.method === 'sendPhoto');
    assert.ok(sheet, 'the review sheet');
    const kept = Number(/(\d+) of 8 search results kept/.exec(sheet.text ?? '')?.[1] ?? 0);
    assert.ok(kept >= 1, sheet.text);
    assert.match(sheet.text ?? '', /Licences: CC BY 4\.0/);
    const [accept, discard] = sheet.replyMarkup?.inline_keyboard.flat() ?? [];
    assert.ok(accept && 'callback_data' in accept && discard && 'callback_data' in discard);
    assert.equal((await harness.service.runtime.context.store.getSamples(`telegram:${harness.home.id}`, 'BLACKPINK', 'Jennie')).length, before, 'nothing added before the review');
    const byFan = harness.telegram.pressButton(sheet.message, harness.fan, accept.callback_data);
    await harness.telegram.waitFor(() => harness.telegram.callbackAnswer(byFan.id), 10_000, 'the refusal of a fan\'s press');
    assert.match(harness.telegram.callbackAnswer(byFan.id)?.text ?? '', /administrators/);
    harness.telegram.pressButton(sheet.message, harness.admin, accept.callback_data);
    const added = await harness.telegram.waitFor(() => harness.telegram.sent(harness.home.id).find((record) => /^Added \d+ photos? of Jennie/.test(record.text ?? '')), 30_000, 'the accepted set');
    assert.match(added.text ?? '', new RegExp(`Added ${kept} photo`));
    assert.equal((await harness.service.runtime.context.store.getSamples(`telegram:${harness.home.id}`, 'BLACKPINK', 'Jennie')).length, before + kept);
    assert.equal(harness.telegram.sent(harness.home.id).find((record) => record.message.message_id === sheet.message.message_id)?.replyMarkup, undefined, 'the buttons are gone');
  });

  test('each chat\'s groups are invisible to other chats', async () => {
    const elsewhere = say(harness.other, harness.fan, '/members BLACKPINK');
    assert.match(await textAnswer(harness.telegram, elsewhere), /no members yet/);
    const home = say(harness.home, harness.fan, '/members BLACKPINK');
    assert.match(await textAnswer(harness.telegram, home), /4 members/);
  });

  test('when a group becomes a supergroup (a new chat id), its groups move with it', async () => {
    const upgraded = harness.telegram.addChat({ id: -1003, type: 'supergroup', title: 'Other Fans' });
    harness.telegram.queueUpdate('message', { message_id: 9001, date: Math.floor(Date.now() / 1000), chat: harness.other, from: harness.admin, migrate_to_chat_id: upgraded.id });
    const notice = await harness.telegram.waitFor(() => harness.telegram.sent(upgraded.id).find((record) => /supergroup now/.test(record.text ?? '')), 20_000, 'the migration notice');
    assert.match(notice.text ?? '', /ITZY/);
    const asked = say(upgraded, harness.fan, '/members ITZY');
    assert.match(await textAnswer(harness.telegram, asked), /Lisa/);
    assert.deepEqual(await harness.service.runtime.context.store.listGroups(`telegram:${harness.other.id}`), []);
  });

  test('in webhook mode only updates carrying the secret token are taken', async () => {
    const hooked = await LocalTelegram.start({ token: '7000002:AAanother-local-token', botUsername: 'idolens_hook_bot' });
    const port = await freePort();
    const settings = { ...telegramSettings(), token: '7000002:AAanother-local-token', apiRoot: hooked.apiRoot, webhook: { url: `http://127.0.0.1:${port}/hook`, secret: 'a-secret-of-at-least-16', port, host: '127.0.0.1' } };
    const bot = new TelegramBot({ settings, core: harness.service.runtime.context, producer: harness.service.system.producer, cancellations: harness.service.system.cancellations, logger: createLogger('silent') });
    try {
      await bot.start();
      const chat = hooked.addChat({ id: -3001, type: 'group', title: 'Hooked' });
      const fan = hooked.user(303, 'Hook');
      assert.equal(await hooked.postToWebhook({ update_id: 1, message: { message_id: 1, date: 0, chat, from: fan, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } }, 'not-the-secret'), 403);
      const asked = hooked.sendMessage({ chat: chat.id, from: fan, text: '/help' });
      assert.deepEqual(await hooked.deliverToWebhook(), [200]);
      const answer = await hooked.waitFor(() => hooked.sent(chat.id).find((record) => record.message.reply_to_message?.message_id === asked.message_id), 10_000, 'the help answer');
      assert.match(answer.text ?? '', /tell K-pop idols apart/);
      assert.equal(hooked.sent(chat.id).length, 1, 'the refused update got no answer');
    } finally {
      await bot.stop();
      await hooked.close();
    }
  });

  test('commands for another bot are left alone, and unknown ones get a pointer to /help in private chats', async () => {
    const other = say(harness.home, harness.fan, '/identify@some_other_bot');
    const unknown = say(harness.privateChat, harness.fan, '/dance');
    assert.match(await textAnswer(harness.telegram, unknown), /I do not know \/dance\. \/help/);
    assert.equal(answersTo(harness.telegram, other).length, 0);
  });
});
