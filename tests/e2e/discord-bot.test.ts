/**
 * The Discord bot end to end: the real discord.js client and our REST delivery against a local Discord, real
 * models, real photos and the BLACKPINK ad from ../shared/faces. One service for the whole file (models load once).
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ERRORS } from '../../core/errors.ts';
import { finalAnswer, inGuild, privateRefusal, startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.ts';
import { BLACKPINK, memberName, enrollPhotosOf, GROUP_PHOTO, strangerPhotos, truncatedCopy } from '../helpers/fixtures.ts';
import { startJennieSearchFake, type ImageSearchFake } from '../helpers/image-search-fake.ts';
import type { StoredMessage } from '../helpers/local-discord/messages.ts';
import { loopedClip, sharedClip, streamFacts } from '../helpers/video.ts';

const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');

let harness: DiscordHarness;
let search: ImageSearchFake;
before(async () => {
  search = await startJennieSearchFake();
  harness = await startDiscordHarness(['Blink Lounge', 'Other Fans', 'Long Lists'], {}, { COMMONS_API_URL: search.commonsUrl, IDOLENS_SEARCH_HOST_INTERVAL_MS: '0', IDOLENS_CORRECTIONS_PER_HOUR: '1' });
});
after(async () => {
  await harness?.close();
  await search?.close();
});

function home() {
  const [guild] = harness.guilds;
  assert.ok(guild);
  return guild;
}

function second() {
  const guild = harness.guilds[1];
  assert.ok(guild);
  return guild;
}

async function upload(channelId: string, file: string, contentType: string) {
  return harness.discord.addAttachment(channelId, file.split('/').pop() ?? 'file', await readFile(file), contentType);
}

const notWorking = (message: StoredMessage): boolean => !/^(Working on it|Creating|Learning|Looking at|Labelling|Training|Listing|Noting)/.test(message.content);

interface Component { type: number; custom_id: string; label?: string; options?: Array<{ label: string; value: string }> }

function componentsOf(message: Pick<StoredMessage, 'json'> | { json: Record<string, unknown> }): Component[] {
  return ((message.json.components as Array<{ components: Component[] }> | undefined) ?? []).flatMap((row) => row.components);
}

/** The message a component interaction's first response made (its reply, or the message as its update left it). */
function responseMessage(record: { callbacks: Array<{ type: number; data: Record<string, unknown> }>; original: StoredMessage | undefined }, shown: StoredMessage): StoredMessage {
  const first = record.callbacks[0];
  if (first?.type === 7) return { ...shown, content: String(first.data.content ?? shown.content), json: { ...shown.json, ...first.data } };
  assert.ok(record.original, 'a reply');
  return record.original;
}

describe('the Discord bot against a local Discord', () => {
  test('registers every command through deploy-commands, admin ones behind Manage Server', () => {
    const commands = harness.discord.state.commands.get(home().id) as Array<{ name: string; default_member_permissions: string | null }>;
    assert.equal(commands.length, 17);
    assert.ok(!commands.some((command) => command.name === 'correct'), '/correct is run by the menus, not typed');
    assert.equal(commands.find((command) => command.name === 'enroll')?.default_member_permissions, '32');
    assert.equal(commands.find((command) => command.name === 'keep')?.default_member_permissions, '32');
    assert.equal(commands.find((command) => command.name === 'identify')?.default_member_permissions, null);
    assert.equal(harness.discord.gateway.identifies, 1);
  });

  test('an admin creates BLACKPINK and enrolls its members; each reply counts the photos and shows the contact sheet', async () => {
    const created = harness.discord.slash('group', { name: 'BLACKPINK' }, inGuild(home(), harness.admin), 'create');
    assert.equal((await finalAnswer(harness.discord, created, notWorking)).content, 'Created group BLACKPINK.');
    assert.equal(created.callbacks[0]?.type, 5, 'deferred at once');
    for (const member of BLACKPINK) {
      const photos = await Promise.all(enrollPhotosOf(member).map((file) => upload(home().channelId, file, 'image/jpeg')));
      const options = Object.fromEntries(photos.map((photo, index) => [`photo${index + 1}`, photo]));
      const enrolled = harness.discord.slash('enroll', { group: 'BLACKPINK', member: memberName(member), ...options }, inGuild(home(), harness.admin));
      const answer = await finalAnswer(harness.discord, enrolled, (message) => message.files.length > 0 || /accepted/.test(message.content));
      const accepted = Number(/(\d+) accepted/.exec(answer.content)?.[1] ?? 0);
      assert.ok(accepted >= 3, `${member}: ${answer.content}`);
      assert.equal(answer.files[0]?.contentType, 'image/jpeg', 'the contact sheet');
    }
  });

  test('an admin enrolls from an image search: the review sheet comes with buttons, and only an admin\'s press adds the photos', async () => {
    const server = `discord:${home().id}`;
    const before = (await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Jennie')).length;
    const asked = harness.discord.slash('enroll', { group: 'BLACKPINK', member: 'Jennie', search: 'Jennie Kim', count: 8 }, inGuild(home(), harness.admin));
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0, 180_000);
    const kept = Number(/(\d+) of 8 search results kept/.exec(answer.content)?.[1] ?? 0);
    assert.ok(kept >= 1, answer.content);
    const buttons = ((answer.json.components as Array<{ components: Array<{ custom_id: string; label: string }> }> | undefined) ?? []).flatMap((row) => row.components);
    assert.deepEqual(buttons.map((button) => button.label), ['Accept all', 'Discard']);
    const accept = buttons[0]?.custom_id ?? '';
    const byFan = harness.discord.button(answer, accept, inGuild(home(), harness.fan));
    await harness.discord.waitFor(() => byFan.callbacks[0], 10_000, 'the refusal of a fan\'s press');
    assert.equal(byFan.callbacks[0]?.type, 4);
    assert.equal(byFan.callbacks[0]?.data.content, ERRORS.admin_only.message);
    assert.equal((await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Jennie')).length, before, 'nothing added yet');
    const byAdmin = harness.discord.button(answer, accept, inGuild(home(), harness.admin));
    const done = await harness.discord.waitFor(() => byAdmin.followUps[0], 30_000, 'the accepted set');
    assert.equal(byAdmin.callbacks[0]?.type, 7, 'the buttons are removed');
    assert.match(done.content, new RegExp(`Added ${kept} photos? of Jennie to BLACKPINK`));
    assert.equal((await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Jennie')).length, before + kept);
  });

  test('a fan identifies a group photo and gets the labelled picture with the names in the text', async () => {
    const picture = await upload(home().channelId, GROUP_PHOTO.file, 'image/jpeg');
    const asked = harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan));
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0);
    for (const member of GROUP_PHOTO.members) assert.match(answer.content, new RegExp(memberName(member)));
    assert.ok(answer.files[0]?.bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) || answer.files[0]?.bytes.subarray(1, 4).toString() === 'PNG');
  });

  test('fans correct a face with "Wrong name?"; a second fan agrees; the cap holds; only an admin accepts, and the same picture is then named', async (t) => {
    const server = `discord:${home().id}`;
    const fan2 = harness.discord.user('fan2', false);
    const [strangerFile] = strangerPhotos();
    assert.ok(strangerFile);
    const picture = await upload(home().channelId, strangerFile, 'image/jpeg');
    const asked = harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan));
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0);
    assert.equal(answer.content, '1 face: unknown.');
    t.diagnostic(`fan: /identify → "${answer.content}"`);
    const wrongName = componentsOf(answer).find((component) => component.label === 'Wrong name?');
    assert.ok(wrongName, 'a "Wrong name?" button under the answer');
    const suggest = async (user: typeof fan2, member: string) => {
      const press = harness.discord.button(answer, wrongName.custom_id, inGuild(home(), user));
      await harness.discord.waitFor(() => press.callbacks[0], 10_000, 'the menu');
      const menu = responseMessage(press, answer);
      assert.equal(menu.flags & 64, 64, 'only the fan sees the menu');
      assert.equal(menu.content, 'Who is face 1 really?');
      const [select] = componentsOf(menu);
      assert.deepEqual(select?.options?.map((option) => option.label), ['Jennie', 'Jisoo', 'Lisa', 'Rose'], 'the members, not what the answer already said');
      assert.ok(select);
      return harness.discord.select(menu, select.custom_id, [member], inGuild(home(), user));
    };
    const first = await suggest(harness.fan, 'Lisa');
    const thanks = await finalAnswer(harness.discord, first, notWorking, 60_000);
    assert.match(thanks.content, /^Thanks! Your suggestion that face 1 is Lisa \(#1\) is waiting for an admin \(\/suggestions\)\.$/);
    assert.equal(thanks.flags & 64, 64, 'the thanks are private');
    assert.deepEqual(componentsOf(thanks), [], 'the menu became the thanks: no menu is left to pick from again');
    t.diagnostic(`fan: Wrong name? → "Who is face 1 really?" → Lisa → "${thanks.content}" (only the fan sees it)`);
    const overCap = await suggest(harness.fan, 'Rose');
    const capped = (await privateRefusal(harness.discord, overCap)).content;
    assert.match(capped, /You have suggested 1 correction here in the last hour/);
    t.diagnostic(`fan: Wrong name? → Rose → "${capped}"`);
    const agreed = await finalAnswer(harness.discord, await suggest(fan2, 'Lisa'), notWorking, 60_000);
    assert.match(agreed.content, /\(#1\).* 2 fans now say so\./);
    t.diagnostic(`fan2: Wrong name? → Lisa → "${agreed.content}"`);
    const lisaBefore = (await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Lisa')).length;

    const byFan = harness.discord.slash('suggestions', { group: 'BLACKPINK' }, inGuild(home(), harness.fan));
    assert.equal((await privateRefusal(harness.discord, byFan)).content, ERRORS.admin_only.message);
    const shown = harness.discord.slash('suggestions', { group: 'BLACKPINK' }, inGuild(home(), harness.admin));
    const sheet = await finalAnswer(harness.discord, shown, (message) => message.files.length > 0);
    assert.match(sheet.content, /^1 suggestion from fans for BLACKPINK:\n#1: shown as unknown, suggested Lisa by fan and 1 more fan \(2 agree\)\./);
    assert.equal(sheet.files[0]?.name, 'suggestions.jpg');
    t.diagnostic(`admin: /suggestions → "${sheet.content}" + suggestions.jpg, [Accept all] [Reject all]`);
    const accept = componentsOf(sheet).find((component) => component.label === 'Accept all');
    assert.ok(accept);
    const fanPress = harness.discord.button(sheet, accept.custom_id, inGuild(home(), harness.fan));
    await harness.discord.waitFor(() => fanPress.callbacks[0], 10_000, 'the refusal of a fan\'s press');
    assert.equal(fanPress.callbacks[0]?.data.content, ERRORS.admin_only.message);
    const adminPress = harness.discord.button(sheet, accept.custom_id, inGuild(home(), harness.admin));
    const decided = await harness.discord.waitFor(() => adminPress.followUps[0], 30_000, 'the decision');
    assert.match(decided.content, /^Added 1 suggested photo to BLACKPINK \(#1\)\./);
    t.diagnostic(`admin: Accept all → "${decided.content}" (fan's press: "${String(fanPress.callbacks[0]?.data.content)}")`);
    const lisa = await harness.service.runtime.context.store.getSamples(server, 'BLACKPINK', 'Lisa');
    assert.equal(lisa.length, lisaBefore + 1);
    assert.deepEqual(lisa.at(-1)?.provenance.suggestedBy, [harness.fan.id, fan2.id]);
    assert.equal(lisa.at(-1)?.provenance.approvedBy, harness.admin.id);

    const again = harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan));
    const named = await finalAnswer(harness.discord, again, (message) => message.files.length > 0);
    assert.match(named.content, /^1 face: Lisa \(\d+%\)\.$/);
    t.diagnostic(`fan: /identify the same picture (retrained) → "${named.content}"`);
    const figures = await finalAnswer(harness.discord, harness.discord.slash('suggestions', { group: 'BLACKPINK' }, inGuild(home(), harness.admin)), notWorking);
    assert.equal(figures.content, 'No suggestions are waiting for BLACKPINK.');
  });

  test('a face the engine was unsure of asks "Face N: name? Yes / No": yes is a private thanks counted once, no opens the menu', async () => {
    const strict = harness.discord.slash('settings', { group: 'BLACKPINK', unknown_threshold: 0.9 }, inGuild(home(), harness.admin));
    await finalAnswer(harness.discord, strict, notWorking);
    try {
      const picture = await upload(home().channelId, GROUP_PHOTO.file, 'image/jpeg');
      const answer = await finalAnswer(harness.discord, harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan)), (message) => message.files.length > 0);
      const yes = componentsOf(answer).find((component) => /^Face 1: .+\? Yes$/.test(component.label ?? ''));
      const no = componentsOf(answer).find((component) => component.label === 'No');
      assert.ok(yes && no, JSON.stringify(componentsOf(answer)));
      const member = /^Face 1: (.+)\? Yes$/.exec(yes.label ?? '')?.[1] ?? '';
      const voter = harness.discord.user('voter', false);
      const pressed = harness.discord.button(answer, yes.custom_id, inGuild(home(), voter));
      await harness.discord.waitFor(() => pressed.callbacks[0], 10_000, 'the thanks');
      assert.equal(pressed.callbacks[0]?.data.content, `Thanks: noted that face 1 is ${member}.`);
      assert.equal(pressed.callbacks[0]?.data.flags, 64);
      const twice = harness.discord.button(answer, yes.custom_id, inGuild(home(), voter));
      await harness.discord.waitFor(() => twice.callbacks[0], 10_000, 'the second press');
      assert.equal(twice.callbacks[0]?.data.content, 'You already confirmed that one.');
      const doubted = harness.discord.button(answer, no.custom_id, inGuild(home(), harness.discord.user('doubter', false)));
      await harness.discord.waitFor(() => doubted.callbacks[0], 10_000, 'the menu');
      assert.equal(responseMessage(doubted, answer).content, 'Who is face 1 really?');
    } finally {
      await finalAnswer(harness.discord, harness.discord.slash('settings', { group: 'BLACKPINK', unknown_threshold: 0.5 }, inGuild(home(), harness.admin)), notWorking);
    }
  });

  test('the "Identify faces" message command works on a message\'s picture', async () => {
    const picture = await upload(home().channelId, GROUP_PHOTO.file, 'image/jpeg');
    const asked = harness.discord.messageCommand('Identify faces', inGuild(home(), harness.fan), [picture]);
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0);
    assert.match(answer.content, /Jisoo|Rose/);
  });

  test('a clip comes back labelled with its audio and a chart, after progress edits', async () => {
    const clip = await upload(home().channelId, AD, 'video/mp4');
    const asked = harness.discord.slash('annotate', { video: clip }, inGuild(home(), harness.fan));
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0, 300_000);
    const video = answer.files.find((file) => file.name.endsWith('.mp4'));
    assert.ok(video, 'the labelled clip');
    assert.ok(answer.files.some((file) => file.name.endsWith('.png')), 'the screen-time chart');
    const saved = path.join(os.tmpdir(), `idolens-discord-${process.pid}.mp4`);
    await writeFile(saved, video.bytes);
    const streams = (await streamFacts(saved)).map((stream) => stream.codecType);
    assert.ok(streams.includes('audio') && streams.includes('video'), streams.join(','));
    assert.ok(asked.edits.some((edit) => edit.content.startsWith('Working on it')), 'progress shown before the answer');
    assert.equal(asked.edits.filter((edit) => edit.files.length > 0).length, 1, 'one final reply');
    assert.ok(answer.content.length > 0 && !/Working on it/.test(answer.content));

    // The still under the summary: the moment most members are on screen, labelled, correctable like a picture.
    assert.ok(answer.files.some((file) => file.name === 'moment.jpg'), 'the labelled still');
    const moment = /\nAt (\d+:\d+\.\d) \(the picture\): (\d+) faces?/.exec(answer.content);
    assert.ok(moment, answer.content);
    const wrongName = componentsOf(answer).find((component) => component.label === 'Wrong name?');
    assert.ok(wrongName, 'the still can be corrected');
    const viewer = harness.discord.user('viewer', false);
    const press = harness.discord.button(answer, wrongName.custom_id, inGuild(home(), viewer));
    await harness.discord.waitFor(() => press.callbacks[0], 10_000, 'the menu');
    const menu = responseMessage(press, answer);
    const [select] = componentsOf(menu);
    assert.ok(select?.options?.[0]);
    const picked = harness.discord.select(menu, select.custom_id, [select.options[0].value], inGuild(home(), viewer));
    const next = Number(moment[2]) === 1 ? picked : await (async () => {
      await harness.discord.waitFor(() => picked.callbacks[0], 10_000, 'the member menu');
      const members = responseMessage(picked, menu);
      const [who] = componentsOf(members);
      const [first] = who?.options ?? [];
      assert.ok(who && first);
      return harness.discord.select(members, who.custom_id, [first.value], inGuild(home(), viewer));
    })();
    const thanks = await finalAnswer(harness.discord, next, notWorking, 120_000);
    assert.match(thanks.content, /^Thanks! Your suggestion that face 1 is /, 'the clip\'s frame was fetched again and the face kept');
  });

  test('/cut answers with a member\'s own cut of a clip, its stretches in the text; a member the group lacks is refused privately', async () => {
    const clip = await upload(home().channelId, AD, 'video/mp4');
    const asked = harness.discord.slash('cut', { video: clip, member: 'lisa' }, inGuild(home(), harness.fan));
    const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0, 300_000);
    assert.deepEqual(answer.files.map((file) => file.name), ['Lisa-cut.mp4']);
    assert.match(answer.content, /^Lisa's cut of ad\.mp4: \d\.\d s of \d\.\d s, 1 stretch \(0:0\d\.\d–0:0\d\.\d\)\./);
    const unknown = harness.discord.slash('cut', { video: clip, member: 'Momo' }, inGuild(home(), harness.fan));
    assert.match((await privateRefusal(harness.discord, unknown)).content, /BLACKPINK has no member named Momo/);
    assert.deepEqual(unknown.callbacks.map((callback) => callback.type), [4]);
  });

  test('the person who asked cancels a running clip with its Cancel button; nobody else can', async () => {
    const long = await loopedClip(sharedClip('liveportrait', 'driving_d6.mp4'), 4, path.join(os.tmpdir(), `idolens-discord-long-${process.pid}.mp4`));
    const clip = await upload(home().channelId, long, 'video/mp4');
    const asked = harness.discord.slash('annotate', { video: clip }, inGuild(home(), harness.fan));
    const working = await harness.discord.waitFor(() => asked.edits.find((edit) => edit.content.startsWith('Working on it')), 120_000, 'progress');
    const [cancel] = ((working.json.components as Array<{ components: Array<{ custom_id: string; label: string }> }> | undefined) ?? []).flatMap((row) => row.components);
    assert.equal(cancel?.label, 'Cancel', 'the working message has a Cancel button');
    const byAdmin = harness.discord.button(working, cancel.custom_id, inGuild(home(), harness.admin));
    await harness.discord.waitFor(() => byAdmin.callbacks[0], 10_000, 'the refusal');
    assert.deepEqual([byAdmin.callbacks[0]?.type, byAdmin.callbacks[0]?.data.flags], [4, 64]);
    assert.match(String(byAdmin.callbacks[0]?.data.content), /Only the person who asked can cancel this/);
    const pressed = Date.now();
    const byFan = harness.discord.button(working, cancel.custom_id, inGuild(home(), harness.fan));
    await harness.discord.waitFor(() => byFan.callbacks[0], 10_000, 'the press acknowledged');
    assert.deepEqual([byFan.callbacks[0]?.type, byFan.callbacks[0]?.data.content], [7, 'Cancelling…']);
    assert.equal((await privateRefusal(harness.discord, asked, 30_000)).content, ERRORS.cancelled.message);
    assert.ok(Date.now() - pressed < 15_000, `stopped ${Date.now() - pressed} ms after the press`);
    assert.equal(asked.edits.filter((edit) => edit.files.length > 0).length, 0, 'no clip was sent');
  });

  test('a fan\'s /enroll is refused at once with a message only the fan sees: never deferred, nothing public, nothing downloaded', async () => {
    const before = await harness.service.runtime.context.store.requireGroup(`discord:${home().id}`, 'BLACKPINK');
    const photo = await upload(home().channelId, enrollPhotosOf('jennie', 5)[4] ?? '', 'image/jpeg');
    const asked = harness.discord.slash('enroll', { group: 'BLACKPINK', member: 'Jennie', photo1: photo }, inGuild(home(), harness.fan));
    assert.equal((await privateRefusal(harness.discord, asked)).content, ERRORS.admin_only.message);
    assert.deepEqual(asked.callbacks.map((callback) => [callback.type, callback.data.flags]), [[4, 64]], 'one ephemeral reply, no public deferral');
    assert.equal(asked.followUps.length, 0);
    assert.equal(asked.originalDeleted, false, 'nothing shown publicly, so nothing had to be removed');
    assert.deepEqual(harness.discord.downloadsOf(photo), []);
    const afterwards = await harness.service.runtime.context.store.requireGroup(`discord:${home().id}`, 'BLACKPINK');
    assert.equal(afterwards.revision, before.revision);
  });

  test('a corrupt picture and a too-large one each get their own clear message', async () => {
    const broken = harness.discord.addAttachment(home().channelId, 'broken.jpg', await truncatedCopy(GROUP_PHOTO.file, 0.3), 'image/jpeg');
    const brokenAsk = harness.discord.slash('identify', { image: broken }, inGuild(home(), harness.fan));
    const brokenAnswer = await finalAnswer(harness.discord, brokenAsk, notWorking);
    assert.match(brokenAnswer.content, /damaged or incomplete/);
    const huge = harness.discord.addAttachment(home().channelId, 'huge.jpg', Buffer.alloc(10), 'image/jpeg', 25 * 1024 * 1024);
    const hugeAsk = harness.discord.slash('identify', { image: huge }, inGuild(home(), harness.fan));
    assert.match((await privateRefusal(harness.discord, hugeAsk)).content, /25 MiB.*up to 20 MiB/);
  });

  test('after the interaction token has expired the answer is posted in the channel, mentioning the user', async () => {
    const picture = await upload(home().channelId, GROUP_PHOTO.file, 'image/jpeg');
    const asked = harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan));
    await harness.discord.waitFor(() => (asked.edits.length > 0 ? true : undefined), 10_000, 'the "working" reply');
    asked.tokenExpired = true;
    const posted = await harness.discord.waitFor(() => harness.discord.channelMessages(home().channelId).find((message) => message.content.startsWith(`<@${harness.fan.id}>`)), 120_000, 'the channel message');
    assert.ok(posted.files.length > 0);
    assert.match(posted.content, /Jisoo|Rose/);
    assert.equal(asked.edits.filter((edit) => edit.files.length > 0).length, 0);
  });

  test('when the token has expired and the bot may not post in the channel, the answer is given up with a log line', async () => {
    const denied = harness.discord.state.deniedChannels;
    denied.add(home().channelId);
    try {
      const picture = await upload(home().channelId, GROUP_PHOTO.file, 'image/jpeg');
      const asked = harness.discord.slash('identify', { image: picture }, inGuild(home(), harness.fan));
      await harness.discord.waitFor(() => (asked.edits.length > 0 ? true : undefined), 10_000, 'the "working" reply');
      asked.tokenExpired = true;
      const refused = await harness.discord.waitFor(() => harness.discord.requests.find((entry) => entry.method === 'POST' && entry.path.endsWith(`/channels/${home().channelId}/messages`) && entry.status === 403), 120_000, 'the refused channel post');
      assert.equal(refused.status, 403);
      assert.equal(harness.discord.channelMessages(home().channelId).filter((message) => message.content.includes('Jisoo')).length, 1, 'only the earlier answer');
    } finally {
      denied.delete(home().channelId);
    }
  });

  test('answers longer than a message are cut at Discord\'s limit and carry the whole text as result.txt, quick and queued', async () => {
    const guild = harness.guilds[2];
    assert.ok(guild);
    const names = Array.from({ length: 90 }, (_, index) => `Long Group Name Number ${String(index).padStart(3, '0')} Extra`);
    for (const name of names) await harness.service.runtime.context.store.createGroup(`discord:${guild.id}`, name);
    for (const [asked, how] of [[harness.discord.slash('settings', {}, inGuild(guild, harness.admin)), 'quick'], [harness.discord.slash('group', {}, inGuild(guild, harness.admin), 'list'), 'queued']] as const) {
      const answer = await finalAnswer(harness.discord, asked, (message) => message.files.length > 0);
      assert.ok(answer.content.length <= 2000 && /result\.txt\)$/.test(answer.content), `${how}: the text is cut with a note`);
      const whole = answer.files.find((file) => file.name === 'result.txt')?.bytes.toString('utf8') ?? '';
      for (const name of names) assert.ok(whole.includes(name), `${how}: result.txt has ${name}`);
    }
  });

  test('/help says what to do first for whoever asks, with an example answer picture', async (t) => {
    const adminWithoutGroup = harness.discord.slash('help', {}, inGuild(second(), harness.admin));
    const first = await finalAnswer(harness.discord, adminWithoutGroup, notWorking);
    t.diagnostic(`help, admin of a server without groups:\n${first.content}`);
    assert.match(first.content, /^Start here: create a group, then enroll its members with a few photos each: \/group create BLACKPINK, then \/enroll BLACKPINK Jennie/);
    const fanWithGroups = harness.discord.slash('help', {}, inGuild(home(), harness.fan));
    const fan = await finalAnswer(harness.discord, fanWithGroups, notWorking);
    t.diagnostic(`help, fan of a server with BLACKPINK:\n${fan.content}`);
    assert.match(fan.content, /^Start here: send a screenshot with \/identify and I put a name on every face I know \(BLACKPINK\)\./);
    assert.match(fan.content, /Example answer \(a drawing\): 3 faces, left to right: Jennie \(93%\), Lisa \(88%\), unknown\./);
    const picture = fan.files.find((file) => file.name === 'example-answer.jpg');
    assert.ok(picture?.bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), 'the example answer is a JPEG');
  });

  test('two servers with a group of the same name stay apart', async () => {
    const created = harness.discord.slash('group', { name: 'BLACKPINK' }, inGuild(second(), harness.admin), 'create');
    assert.equal((await finalAnswer(harness.discord, created, notWorking)).content, 'Created group BLACKPINK.');
    const members = harness.discord.slash('members', { group: 'BLACKPINK' }, inGuild(second(), harness.fan));
    assert.match((await finalAnswer(harness.discord, members, notWorking)).content, /no members yet/);
    const home_members = harness.discord.slash('members', {}, inGuild(home(), harness.fan));
    assert.match((await finalAnswer(harness.discord, home_members, notWorking)).content, /4 members/);
  });

  test('in direct messages only /help works, and other commands say why', async () => {
    const where = { guildId: undefined, channelId: '1', user: harness.fan };
    const help = harness.discord.slash('help', {}, where);
    assert.match((await finalAnswer(harness.discord, help, notWorking)).content, /in direct messages only help works/);
    const identify = harness.discord.slash('identify', { image: await upload('1', GROUP_PHOTO.file, 'image/jpeg') }, where);
    assert.equal((await privateRefusal(harness.discord, identify)).content, ERRORS.server_only.message);
  });

  test('autocomplete suggests this server\'s groups and members only', async () => {
    const asked = harness.discord.autocomplete('sheet', { group: 'BLACKPINK', member: 'j' }, 'member', inGuild(home(), harness.fan));
    const choices = await harness.discord.waitFor(() => asked.callbacks.find((entry) => entry.type === 8)?.data.choices as Array<{ name: string }> | undefined, 10_000, 'autocomplete');
    assert.deepEqual(choices.map((choice) => choice.name).sort(), ['Jennie', 'Jisoo']);
    const elsewhere = harness.discord.autocomplete('sheet', { group: 'BLACKPINK', member: 'j' }, 'member', inGuild(second(), harness.fan));
    const none = await harness.discord.waitFor(() => elsewhere.callbacks.find((entry) => entry.type === 8)?.data.choices as unknown[] | undefined, 10_000, 'autocomplete');
    assert.deepEqual(none, []);
    const withoutGroup = harness.discord.autocomplete('sheet', { member: 'j' }, 'member', inGuild(home(), harness.fan));
    const fromOnlyGroup = await harness.discord.waitFor(() => withoutGroup.callbacks.find((entry) => entry.type === 8)?.data.choices as Array<{ name: string }> | undefined, 10_000, 'autocomplete');
    assert.deepEqual(fromOnlyGroup.map((choice) => choice.name).sort(), ['Jennie', 'Jisoo'], 'the server\'s only group is the default');
  });

  test('the gateway connection drops and the bot resumes its session', async () => {
    harness.discord.gateway.dropConnection();
    await harness.discord.waitFor(() => (harness.discord.gateway.resumes > 0 ? true : undefined), 30_000, 'a RESUME');
    assert.equal(harness.discord.gateway.identifies, 1);
    const help = harness.discord.slash('help', {}, inGuild(home(), harness.fan));
    assert.match((await finalAnswer(harness.discord, help, notWorking)).content, /tell K-pop idols apart/);
  });
});
