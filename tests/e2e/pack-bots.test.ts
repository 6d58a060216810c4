/**
 * Group packs in both bots, against the local Discord and the local Bot API: an admin exports a group and gets
 * the zip, imports it under another name (a job), and a fan is refused. The groups are enrolled through the store
 * (two photos per member): the bots' enrollment has its own tests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { ERRORS } from '../../core/errors.ts';
import { finalAnswer, inGuild, privateRefusal, startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.ts';
import { BLACKPINK, enrollPhotosOf, memberName } from '../helpers/fixtures.ts';
import { finalAnswers, startTelegramHarness, textAnswer, type TelegramHarness } from '../helpers/telegram-harness.ts';

const GROUP = 'BLACKPINK';
const PHOTOS = 2;
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

async function enrollBlackpink(context: CoreContext, server: string): Promise<void> {
  await context.store.createGroup(server, GROUP);
  for (const member of BLACKPINK) {
    await enrollPhotos(context, { server, group: GROUP, member: memberName(member), inputs: enrollPhotosOf(member, PHOTOS), layout: 'flat', addedBy: 'admin' });
  }
}

/** The imported group is trained by the job that imported it (and the service is not closed under that training). */
async function trained(context: CoreContext, server: string, group: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await context.store.getModel(server, group)) === undefined) {
    if (Date.now() > deadline) assert.fail(`${group} was not trained after its import`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function sampleCount(context: CoreContext, server: string, group: string): Promise<number> {
  return (await context.store.getSamples(server, group)).length;
}

describe('/pack on Discord', () => {
  let harness: DiscordHarness;
  before(async () => {
    harness = await startDiscordHarness(['Blink Lounge', 'Other Fans']);
    const [home] = harness.guilds;
    assert.ok(home);
    await enrollBlackpink(harness.service.runtime.context, `discord:${home.id}`);
  });
  after(async () => {
    await harness?.close();
  });

  test('an admin exports a pack, gets the zip, and imports it as another group on another server; a fan is refused', async () => {
    const [home, other] = harness.guilds;
    assert.ok(home && other);
    const exported = harness.discord.slash('pack', { group: GROUP }, inGuild(home, harness.admin), 'export');
    const answer = await finalAnswer(harness.discord, exported, (message) => message.files.length > 0);
    assert.match(answer.content, new RegExp(`^${GROUP}: 4 members, ${4 * PHOTOS} photos in the pack`));
    assert.equal(answer.flags & 64, 64, 'only the admin who asked sees the pack');
    const [zip] = answer.files;
    assert.ok(zip);
    assert.equal(zip.name, 'BLACKPINK.idolens-pack.zip');
    assert.ok(zip.bytes.subarray(0, 4).equals(ZIP_MAGIC), 'a zip');

    const attachment = harness.discord.addAttachment(other.channelId, zip.name, zip.bytes, 'application/zip');
    const imported = harness.discord.slash('pack', { file: attachment, as: 'BP Copy' }, inGuild(other, harness.admin), 'import');
    const done = await finalAnswer(harness.discord, imported, (message) => /^Imported/.test(message.content), 180_000);
    assert.match(done.content, new RegExp(`^Imported BP Copy: 4 members, ${4 * PHOTOS} photos`));
    assert.equal(await sampleCount(harness.service.runtime.context, `discord:${other.id}`, 'BP Copy'), 4 * PHOTOS);
    await trained(harness.service.runtime.context, `discord:${other.id}`, 'BP Copy');

    const byFan = harness.discord.slash('pack', { group: GROUP }, inGuild(home, harness.fan), 'export');
    assert.equal((await privateRefusal(harness.discord, byFan)).content, ERRORS.admin_only.message);
  });
});

describe('/pack on Telegram', () => {
  let harness: TelegramHarness;
  before(async () => {
    harness = await startTelegramHarness();
    await enrollBlackpink(harness.service.runtime.context, `telegram:${harness.home.id}`);
  });
  after(async () => {
    await harness?.close();
  });

  test('an admin exports a pack, gets the zip, and imports it with the caption /pack import as NAME; a fan is refused', async () => {
    const { telegram, admin, fan, home, other } = harness;
    const asked = telegram.sendMessage({ chat: home.id, from: admin, text: `/pack export ${GROUP}` });
    const answers = await finalAnswers(telegram, asked, (records) => records.some((record) => record.method === 'sendDocument'));
    const document = answers.find((record) => record.method === 'sendDocument');
    const bytes = document?.bytes;
    assert.ok(bytes, 'the pack is sent as a document');
    assert.ok(bytes.subarray(0, 4).equals(ZIP_MAGIC), 'a zip');
    assert.match(document?.text ?? '', new RegExp(`^${GROUP}: 4 members, ${4 * PHOTOS} photos in the pack`));

    const fileId = telegram.addFile(bytes, { name: 'BLACKPINK.idolens-pack.zip', mimeType: 'application/zip' });
    const sent = telegram.sendMessage({ chat: other.id, from: admin, caption: '/pack import as "BP Copy"', document: telegram.documentOf(fileId, 'BLACKPINK.idolens-pack.zip', 'application/zip') });
    assert.match(await textAnswer(telegram, sent, 180_000), new RegExp(`Imported BP Copy: 4 members, ${4 * PHOTOS} photos`));
    assert.equal(await sampleCount(harness.service.runtime.context, `telegram:${other.id}`, 'BP Copy'), 4 * PHOTOS);
    await trained(harness.service.runtime.context, `telegram:${other.id}`, 'BP Copy');

    const byFan = telegram.sendMessage({ chat: home.id, from: fan, text: `/pack export ${GROUP}` });
    assert.match(await textAnswer(telegram, byFan), /administrators/);
  });
});
