import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { chatPhrasing } from '../../answers/phrasing.ts';
import { applicationCommands } from '../../bot/discord/command-data.ts';
import { redactRoute } from '../../bot/discord/transport-error.ts';
import { MAX_CONTENT_LENGTH } from '../../bot/discord/discord-sender.ts';
import { fitText } from '../../bot/shared/fit-answer.ts';
import { COMMANDS, findCommand, runCommand, type CommandContext, type CommandOutcome } from '../../commands/index.ts';
import { ERRORS, IdolensError, noticeOf } from '../../core/errors.ts';
import type { JobName, JobPayloads } from '../../workers/jobs.ts';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime.ts';

let runtime: TestRuntime;
before(async () => { runtime = await openTestRuntime('commands'); });
after(async () => { await runtime.close(); });

function context(overrides: Partial<CommandContext> = {}): CommandContext {
  return { core: runtime.context, server: 'discord:1', user: 'u1', isAdmin: false, uploadLimitBytes: 10 * 1024 * 1024, phrasing: chatPhrasing('/'), admins: 'members with Manage Server', ...overrides };
}

const image = (size = 1000, contentType = 'image/jpeg') => ({ url: 'https://cdn.discordapp.com/attachments/1/2/a.jpg', name: 'a.jpg', size, contentType });

async function refusedWith(promise: Promise<CommandOutcome>, code: string): Promise<IdolensError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof IdolensError, `expected a refusal with ${code}, got ${String(error)}`);
  assert.equal(error.code, code);
  return error;
}

function replyText(outcome: CommandOutcome): string {
  assert.equal(outcome.kind, 'reply');
  return outcome.kind === 'reply' ? outcome.answer.text : '';
}

function jobPayload<N extends JobName>(outcome: CommandOutcome, name: N): JobPayloads[N] {
  assert.ok(outcome.kind === 'job' && outcome.job.name === name, `expected a ${name} job`);
  return outcome.job.payload as JobPayloads[N];
}

function command(name: string, kind: 'slash' | 'message' = 'slash') {
  const found = findCommand(name, kind);
  assert.ok(found, `no command ${name}`);
  return found;
}

describe('platform-neutral commands', () => {
  test('admin commands refuse members who are not admins, whatever the platform menu showed', async () => {
    for (const name of ['enroll', 'group', 'train', 'forget', 'settings']) {
      await refusedWith(runCommand(command(name), context(), { group: 'TWICE', member: 'Nayeon', subcommand: 'list' }), 'admin_only');
    }
  });

  test('in direct messages only help works, and it says why', async () => {
    await refusedWith(runCommand(command('identify'), context({ server: undefined }), { image: image() }), 'server_only');
    const help = await runCommand(command('help'), context({ server: undefined }), {});
    assert.equal(help.kind, 'reply');
    assert.match(help.kind === 'reply' ? help.answer.text : '', /direct messages only help works/);
  });

  test('identify names the only group when none is given, and asks which one when there are several', async () => {
    await runtime.context.store.createGroup('discord:solo', 'TWICE');
    const outcome = await runCommand(command('identify'), context({ server: 'discord:solo' }), { image: image() });
    assert.equal(outcome.kind, 'job');
    if (outcome.kind === 'job') {
      assert.equal(outcome.job.name, 'identify');
      assert.deepEqual(outcome.job.name === 'identify' ? outcome.job.payload.group : undefined, 'TWICE');
    }
    await runtime.context.store.createGroup('discord:solo', 'ITZY');
    const error = await refusedWith(runCommand(command('identify'), context({ server: 'discord:solo' }), { image: image() }), 'group_required');
    assert.match(error.message, /ITZY/);
    await refusedWith(runCommand(command('identify'), context({ server: 'discord:empty' }), { image: image() }), 'group_not_found');
  });

  test('a too-large or non-image attachment is refused before anything is queued', async () => {
    await runtime.context.store.createGroup('discord:att', 'TWICE');
    const large = await refusedWith(runCommand(command('identify'), context({ server: 'discord:att' }), { image: image(25 * 1024 * 1024) }), 'too_large');
    assert.match(large.message, /25 MiB/);
    await refusedWith(runCommand(command('identify'), context({ server: 'discord:att' }), { image: image(1000, 'video/mp4') }), 'unsupported_format');
    await refusedWith(runCommand(command('annotate'), context({ server: 'discord:att' }), { video: image(1000, 'image/png') }), 'unsupported_video');
  });

  test('a missing or malformed option names the option', async () => {
    const error = await refusedWith(runCommand(command('identify'), context(), {}), 'invalid_option');
    assert.match(error.message, /image/);
  });

  test('enroll takes photos and links for one member, and asks for a source when there is none', async () => {
    await runtime.context.store.createGroup('discord:enr', 'BLACKPINK');
    const admin = context({ server: 'discord:enr', isAdmin: true });
    const outcome = await runCommand(command('enroll'), admin, { group: 'blackpink', member: ' Jennie ', photo1: image(), photo3: image(30 * 1024 * 1024), urls: 'https://example.org/j.jpg ftp://x/y.jpg' });
    assert.equal(outcome.kind, 'job');
    const payload = outcome.kind === 'job' && outcome.job.name === 'enroll' ? outcome.job.payload : undefined;
    assert.ok(payload);
    assert.equal(payload.group, 'BLACKPINK');
    assert.equal(payload.member, 'Jennie');
    assert.equal(payload.contactSheet, true);
    assert.equal(payload.inputs.length, 4);
    assert.deepEqual(payload.inputs.map((input) => ('error' in input ? input.error.code : input.ref.kind === 'url' ? input.ref.trust : 'blob')), ['platform', 'too_large', 'admin', 'url_not_allowed']);
    await refusedWith(runCommand(command('enroll'), admin, { group: 'BLACKPINK', member: 'Jennie' }), 'no_media');
    const zip = await runCommand(command('enroll'), admin, { group: 'BLACKPINK', zip: { ...image(), name: 'bp.zip', contentType: 'application/zip' } });
    assert.equal(zip.kind === 'job' ? zip.job.name : '', 'import');
  });

  test('settings change the unknown threshold and reset it', async () => {
    await runtime.context.store.createGroup('discord:set', 'ITZY');
    const admin = context({ server: 'discord:set', isAdmin: true });
    const changed = await runCommand(command('settings'), admin, { unknown_threshold: 0.7 });
    assert.match(replyText(changed), /Unknown threshold: ITZY 0\.7\./);
    const reset = await runCommand(command('settings'), admin, { reset: true });
    assert.match(replyText(reset), /Unknown threshold: ITZY 0\.\d+ \(default\)\./);
    await refusedWith(runCommand(command('settings'), admin, { unknown_threshold: 1.5 }), 'invalid_option');
    await refusedWith(runCommand(command('settings'), admin, { output_size: 'huge' }), 'invalid_option');
  });

  test('enroll with search: makes a search job for the member; review accepts all but some numbers, once', async () => {
    const server = 'discord:search';
    await runtime.context.store.createGroup(server, 'TWICE');
    const admin = context({ server, isAdmin: true });
    assert.deepEqual(jobPayload(await runCommand(command('enroll'), admin, { group: 'twice', member: 'Nayeon', search: 'Nayeon TWICE', count: 12 }), 'search'), { group: 'TWICE', member: 'Nayeon', query: 'Nayeon TWICE', count: 12 });
    assert.equal(jobPayload(await runCommand(command('enroll'), admin, { group: 'TWICE', member: 'Nayeon', search: 'Nayeon' }), 'search').count, 30);
    await refusedWith(runCommand(command('enroll'), admin, { group: 'TWICE', member: 'Nayeon', search: 'Nayeon', photo1: image() }), 'invalid_option');
    const thumbnail = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const sample = (seed: number) => ({
      embedding: new Float32Array(128).fill(seed / 10), embedderId: runtime.context.embedder.id, thumbnailJpeg: thumbnail, contentHash: String(seed).repeat(64).slice(0, 64),
      box: { x: 0, y: 0, width: 80, height: 80 }, detectionScore: 0.9, sharpness: 100, flagged: false,
      provenance: { source: `https://upload.example.org/${seed}.jpg`, addedBy: 'u1', addedAt: new Date().toISOString(), licence: 'CC BY 4.0' },
    });
    const set = await runtime.context.pending.put({ server, group: 'TWICE', member: 'Nayeon', query: 'Nayeon', provider: 'commons', items: [1, 2, 3].map((number) => ({ number, sample: sample(number) })) });
    await refusedWith(runCommand(command('review'), context({ server }), { id: set.id, action: 'accept' }), 'admin_only');
    await refusedWith(runCommand(command('review'), admin, { id: set.id, action: 'accept', except: '7' }), 'sample_not_found');
    assert.match(replyText(await runCommand(command('review'), admin, { id: set.id, action: 'accept', except: '2' })), /Added 2 photos of Nayeon to TWICE \(left out #2\)/);
    const samples = await runtime.context.store.getSamples(server, 'TWICE', 'Nayeon');
    assert.deepEqual(samples.map((entry) => entry.provenance.licence), ['CC BY 4.0', 'CC BY 4.0']);
    await refusedWith(runCommand(command('review'), admin, { id: set.id, action: 'discard' }), 'pending_not_found');
    await refusedWith(runCommand(command('review'), context({ server: 'discord:elsewhere', isAdmin: true }), { id: set.id, action: 'accept' }), 'pending_not_found');
  });

  test('a default group is used when a command names none, and follows renames and deletes', async () => {
    const server = 'discord:default';
    await runtime.context.store.createGroup(server, 'TWICE');
    await runtime.context.store.createGroup(server, 'ITZY');
    const admin = context({ server, isAdmin: true });
    await refusedWith(runCommand(command('identify'), admin, { image: image() }), 'group_required');
    await refusedWith(runCommand(command('settings'), admin, { default_group: 'aespa' }), 'group_not_found');
    assert.match(replyText(await runCommand(command('settings'), admin, { default_group: 'itzy', unknown_threshold: 0.6 })), /Default group: ITZY\.[\s\S]*ITZY 0\.6/);
    assert.equal(jobPayload(await runCommand(command('identify'), admin, { image: image() }), 'identify').group, 'ITZY');
    assert.equal(jobPayload(await runCommand(command('identify'), admin, { image: image(), group: 'twice' }), 'identify').group, 'TWICE');
    await runtime.context.store.renameGroup(server, 'ITZY', 'ITZY Japan');
    assert.equal((await runtime.context.store.serverSettings(server)).defaultGroup, 'ITZY Japan');
    await runtime.context.store.deleteGroup(server, 'ITZY Japan');
    assert.deepEqual(await runtime.context.store.serverSettings(server), {});
    assert.equal(jobPayload(await runCommand(command('identify'), admin, { image: image() }), 'identify').group, 'TWICE');
  });

  test('the output size caps labelled pictures and clips; original lifts the cap', async () => {
    const server = 'discord:size';
    await runtime.context.store.createGroup(server, 'aespa');
    const admin = context({ server, isAdmin: true });
    const clip = { ...image(), name: 'a.mp4', contentType: 'video/mp4' };
    assert.match(replyText(await runCommand(command('settings'), admin, { output_size: 'medium' })), /Output size: medium \(pictures up to 1920 px, clips up to 720p\)/);
    assert.equal(jobPayload(await runCommand(command('identify'), admin, { image: image() }), 'identify').maxSide, 1920);
    assert.equal(jobPayload(await runCommand(command('annotate'), admin, { video: clip }), 'annotate').maxShortSide, 720);
    await runCommand(command('settings'), admin, { output_size: 'original' });
    assert.equal(jobPayload(await runCommand(command('identify'), admin, { image: image() }), 'identify').maxSide, undefined);
    assert.equal(jobPayload(await runCommand(command('annotate'), admin, { video: clip }), 'annotate').maxShortSide, undefined);
  });
});

describe('Discord command data', () => {
  const data = applicationCommands(COMMANDS);

  test('every command is registered once, admin ones hidden behind Manage Server', () => {
    const names = data.map((entry) => entry.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of ['identify', 'annotate', 'enroll', 'group', 'members', 'sheet', 'forget', 'keep', 'train', 'settings', 'review', 'suggestions', 'help', 'Identify faces', 'Label this clip']) assert.ok(names.includes(name), name);
    assert.ok(!names.includes('correct'), 'the correction menus run /correct; it is not typed on Discord');
    for (const entry of data) {
      const admin = ['enroll', 'group', 'forget', 'keep', 'train', 'settings', 'review', 'pack', 'suggestions'].includes(entry.name);
      assert.equal(entry.default_member_permissions, admin ? '32' : null, entry.name);
    }
  });

  test('names, descriptions and option order follow Discord\'s rules', () => {
    for (const entry of data) {
      if (entry.type !== 1) continue;
      assert.match(entry.name, /^[a-z_-]{1,32}$/);
      assert.ok(entry.description.length >= 1 && entry.description.length <= 100, entry.name);
      for (const list of [entry.options ?? [], ...(entry.options ?? []).flatMap((option) => ('options' in option && option.type === 1 ? [option.options ?? []] : []))]) {
        assert.ok(list.length <= 25);
        const required = list.map((option) => ('required' in option && option.required === true));
        assert.deepEqual(required, [...required].sort((a, b) => Number(b) - Number(a)), `${entry.name}: required options come first`);
        for (const option of list) {
          assert.ok(option.description.length <= 100 && /^[a-z0-9_-]{1,32}$/.test(option.name), `${entry.name}.${option.name}`);
          if ('choices' in option && option.choices !== undefined) assert.ok(!('autocomplete' in option && option.autocomplete === true), `${entry.name}.${option.name}: choices or autocomplete, not both`);
        }
      }
    }
  });
});

describe('Discord texts', () => {
  test('long results are cut at a line end within the content limit', () => {
    const text = Array.from({ length: 300 }, (_, index) => `line ${index}: Jennie (93%)`).join('\n');
    const fitted = fitText(text, MAX_CONTENT_LENGTH);
    assert.equal(fitted.cut, true);
    assert.ok(fitted.text.length <= MAX_CONTENT_LENGTH);
    assert.match(fitted.text, /result\.txt\)$/);
    assert.deepEqual(fitText('short', MAX_CONTENT_LENGTH), { text: 'short', cut: false });
  });

  test('unknown error codes never reach the user; interaction tokens never reach logs', () => {
    assert.equal(noticeOf('no_face', 'No face here.').message, 'No face here.');
    assert.equal(noticeOf('ECONNRESET', 'socket hang up at /webhooks/1/abc').message, ERRORS.internal.message);
    assert.equal(redactRoute('/webhooks/123/aW50ZXJhY3Rpb24.secret/messages/@original'), '/webhooks/123/[token]/messages/@original');
    assert.equal(redactRoute('https://x/api/v10/interactions/99/tok_en/callback'), 'https://x/api/v10/interactions/99/[token]/callback');
  });
});
