/**
 * Fans' corrections through the real job system (in-process queue, real models, the SQLite store read directly):
 * what an answer keeps, what a correction keeps, who may decide, and what goes with a member or a group. The bots'
 * buttons are tested end to end in tests/e2e; here the rules behind them.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { confirmFace } from '../../core/feedback/confirm.ts';
import { MAX_PENDING_SUGGESTIONS } from '../../core/feedback/corrections.ts';
import { acceptSuggestions } from '../../core/feedback/suggestions.ts';
import { tallyLines } from '../../core/feedback/tally.ts';
import { closeKeyv, openKeyv } from '../../core/store/index.ts';
import type { DeliveryRecord } from '../helpers/recording-delivery.ts';
import { assertExit, jsonLines, runCli } from '../helpers/cli.ts';
import { BLACKPINK, blackpinkPhoto, memberName, strangerPhotos } from '../helpers/fixtures.ts';
import { openJobHarness, type JobHarness } from '../helpers/job-harness.ts';
import type { JobAnswer } from '../../workers/results.ts';
import type { JobRequest } from '../../workers/jobs.ts';

const SERVER = 'fans-server';
const OTHER_SERVER = 'other-server';
const GROUP = 'BLACKPINK';
const TELEGRAM: JobRequest['target'] = { kind: 'telegram', chatId: -100123, replyTo: 7, statusMessageId: 8, uploadLimitBytes: 50_000_000 };

let harness: JobHarness;
let photos: { server: Server; url(file: string): string };

/** Serves the shared photos on loopback, as a platform's CDN would. */
async function servePhotos(): Promise<{ server: Server; url(file: string): string }> {
  const server = createServer((request, response) => {
    const file = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').searchParams.get('file') ?? '');
    readFile(file).then((bytes) => response.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes), () => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: (file) => `http://127.0.0.1:${port}/photo?file=${encodeURIComponent(file)}` };
}

function answerOf(record: DeliveryRecord): JobAnswer {
  assert.equal(record.kind, 'answer', `expected an answer, got ${JSON.stringify(record.kind === 'failure' ? record.failure : record.kind)}`);
  return (record as Extract<DeliveryRecord, { kind: 'answer' }>).answer;
}

function failureOf(record: DeliveryRecord): { code: string; message: string } {
  assert.equal(record.kind, 'failure', 'expected a failure');
  return (record as Extract<DeliveryRecord, { kind: 'failure' }>).failure;
}

function urlInput(file: string) {
  return { ref: { kind: 'url' as const, url: photos.url(file), name: path.basename(file), trust: 'platform' as const } };
}

async function run(name: Parameters<JobHarness['submit']>[0], payload: Parameters<JobHarness['submit']>[1], request: Partial<JobRequest> = {}): Promise<DeliveryRecord> {
  return harness.delivery.waitFor(await harness.submit(name, payload as never, { server: SERVER, target: TELEGRAM, ...request }));
}

async function identifyOnBot(file: string): Promise<JobAnswer> {
  return answerOf(await run('identify', { group: GROUP, inputs: [urlInput(file)], detector: 'accurate', render: true }));
}

async function correct(answerId: string, face: number, member: string | null, fan: string): Promise<DeliveryRecord> {
  return run('correct', { answerId, face, member, fanName: fan }, { by: fan });
}

/** Every key and value of the store, read from its SQLite file by a connection of our own. */
async function storeEntries(): Promise<Map<string, string>> {
  const keyv = await openKeyv({ dataDir: harness.config.dataDir, url: undefined, namespace: undefined });
  const entries = new Map<string, string>();
  try {
    const iterate = keyv.iterator;
    assert.ok(iterate, 'the SQLite store can be listed');
    for await (const [key, value] of iterate.call(keyv, undefined) as AsyncGenerator<[unknown, unknown]>) entries.set(String(key).replace(/^idolens:/, ''), JSON.stringify(value));
  } finally {
    await closeKeyv(keyv);
  }
  return entries;
}

async function ownJobFolders(): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith('idolens-job-') && name.includes(`-${process.pid}-`));
}

before(async () => {
  photos = await servePhotos();
  harness = await openJobHarness('in-process', { IDOLENS_MEDIA_HOSTS: '127.0.0.1', IDOLENS_ALLOW_PRIVATE_URLS: '1', IDOLENS_TRAIN_DEBOUNCE_SECONDS: '0', IDOLENS_CORRECTIONS_PER_HOUR: '3' });
  answerOf(await run('group', { action: 'create', group: GROUP }));
  for (const member of BLACKPINK) {
    const inputs = [0, 1, 2].map((index) => urlInput(blackpinkPhoto(member, index)));
    answerOf(await run('enroll', { group: GROUP, member: memberName(member), inputs, newMember: true }));
  }
  answerOf(await run('train', { group: GROUP, force: false }));
});

after(async () => {
  await harness?.close();
  photos?.server.close();
});

describe('fans\' corrections', () => {
  test('a bot\'s answer keeps only the platform\'s reference to the picture: no bytes, crop or descriptor of it stay, nor any work folder', async () => {
    const before = await storeEntries();
    const [stranger] = strangerPhotos();
    assert.ok(stranger);
    const answer = await identifyOnBot(stranger);
    assert.ok(answer.feedback, 'a correctable answer');
    assert.equal(answer.feedback.faces, 1);
    const after = await storeEntries();
    const added = [...after.keys()].filter((key) => !before.has(key));
    assert.deepEqual(added.map((key) => key.replace(/[0-9a-f]{8}$/, 'ID')), [`answer:${SERVER}:ID`]);
    const kept = after.get(added[0] ?? '') ?? '';
    assert.match(kept, /"kind":"url"/);
    assert.doesNotMatch(kept, /jpeg|descriptor|embedding|[A-Za-z0-9+/]{200}/, 'no picture, crop or descriptor in the answer record');
    for (const [key, value] of after) if (before.has(key)) assert.ok(value === before.get(key), `${key} unchanged`);
    assert.deepEqual(await ownJobFolders(), [], 'the job\'s work folder is gone');

    const unposted = answerOf(await run('identify', { group: GROUP, inputs: [urlInput(stranger)], detector: 'accurate', render: true }, { target: { kind: 'caller' } }));
    assert.equal(unposted.feedback, undefined, 'answers that no bot posts are not kept');
  });

  test('a correction keeps the corrected face alone; naming another member\'s photo is flagged; nobody approves their own; other servers see nothing', async () => {
    const jisooPhoto = blackpinkPhoto('jisoo', 0);
    const answer = await identifyOnBot(jisooPhoto);
    assert.match(answer.text, /^1 face: Jisoo/);
    const answerId = answer.feedback?.answerId ?? '';
    assert.equal(failureOf(await correct(answerId, 2, 'Rose', 'mina')).code, 'face_not_found');
    assert.equal(failureOf(await correct(answerId, 1, 'Taeyeon', 'mina')).code, 'member_not_found');
    assert.match(failureOf(await correct(answerId, 1, 'jisoo', 'mina')).message, /^My answer already says face 1 is Jisoo: name who it really is\.$/);
    const suggested = answerOf(await correct(answerId, 1, 'Rose', 'mina'));
    assert.match(suggested.text, /^Thanks! Your suggestion that face 1 is Rose \(#\d+\) is waiting for an admin \(\/suggestions\)\. An admin will look twice: This face is already one of Jisoo's photos \(#1\)\.$/);

    const { feedback, group } = await harness.runtime.context.store.readFeedback(SERVER, GROUP);
    const suggestion = feedback.suggestions.at(-1);
    assert.ok(suggestion?.sample.faceCrop, 'the face\'s crop is kept, to be learned from');
    assert.equal(suggestion.sample.embedding.length > 0, true);
    assert.deepEqual(suggestion.fans.map((fan) => fan.user), ['mina']);
    assert.deepEqual(tallyLines(feedback.tally, group), ['Jisoo: 0 confirmed, 1 corrected', 'Jisoo ↔ Rose: 1 correction']);

    const own = await acceptSuggestions(harness.runtime.context, SERVER, GROUP, { user: 'mina', name: 'mina' });
    assert.deepEqual(own.ownLeft, [suggestion.number]);
    assert.deepEqual(own.accepted, []);
    assert.equal((await harness.runtime.context.store.readFeedback(SERVER, GROUP)).feedback.suggestions.length, feedback.suggestions.length, 'still pending');

    await assert.rejects(harness.runtime.context.answers.get(OTHER_SERVER, answerId), { code: 'answer_expired' });
    assert.equal(failureOf(await run('correct', { answerId, face: 1, member: 'Rose', fanName: 'mina' }, { server: OTHER_SERVER, by: 'mina' })).code, 'answer_expired');
  });

  test('"yes" to an unsure face counts once per fan; the hourly cap counts corrections and confirmations alike', async () => {
    const { context } = harness.runtime;
    const group = await context.store.requireGroup(SERVER, GROUP);
    const answer = await context.answers.put({ server: SERVER, group: GROUP, picture: urlInput(blackpinkPhoto('lisa', 5)).ref, members: group.members.map((member) => member.name), faces: [{ box: { x: 1, y: 1, width: 50, height: 50 }, name: 'Lisa', confidence: 0.55, unsureOf: 'Lisa' }] });
    assert.deepEqual(await confirmFace(context, SERVER, answer.id, 1, { user: 'joon', name: 'joon' }), { member: 'Lisa', repeated: false });
    assert.deepEqual(await confirmFace(context, SERVER, answer.id, 1, { user: 'joon', name: 'joon' }), { member: 'Lisa', repeated: true });
    await confirmFace(context, SERVER, answer.id, 1, { user: 'mina', name: 'mina' });
    const { feedback } = await context.store.readFeedback(SERVER, GROUP);
    assert.equal(feedback.tally.confirmed.lisa, 2);
    // mina so far: one correction, one confirmation; the cap is 3 an hour.
    const rose = (await identifyOnBot(blackpinkPhoto('rose', 5))).feedback?.answerId ?? '';
    answerOf(await correct(rose, 1, 'Jennie', 'mina'));
    const over = failureOf(await correct(rose, 1, 'Lisa', 'mina'));
    assert.equal(over.code, 'correction_limit');
    assert.match(over.message, /^You have suggested 3 corrections here in the last hour/);
    answerOf(await correct(rose, 1, 'Lisa', 'joon'));
  });

  test('the CLI lists the suggestions with their figures and decides on them; forgetting a member takes hers away', async () => {
    const listed = await runCli(harness.config.dataDir, SERVER, 'suggestions', GROUP, '--json');
    assertExit(listed, 0);
    const [list] = jsonLines(listed, z.object({ group: z.string(), suggestions: z.array(z.object({ number: z.number(), member: z.string().nullable(), shownAs: z.string().nullable(), flag: z.string().optional() })), figures: z.array(z.string()) }));
    assert.ok(list);
    const flagged = list.suggestions.find((entry) => entry.member === 'Rose');
    assert.ok(flagged?.flag, 'the flag is in the JSON');
    assert.ok(list.figures.includes('Jisoo ↔ Rose: 1 correction'));
    const text = await runCli(harness.config.dataDir, SERVER, 'suggestions', GROUP);
    assertExit(text, 0);
    assert.match(text.stdout, new RegExp(`#${flagged.number}: shown as Jisoo, suggested Rose by mina\\. Check: This face is already one of Jisoo's photos \\(#1\\)\\.`));
    const bad = await runCli(harness.config.dataDir, SERVER, 'suggestions', GROUP, '--reject', '999');
    assertExit(bad, 1);
    assert.match(bad.stderr, /No pending suggestion is numbered #999/);

    await harness.runtime.context.store.forgetMember(SERVER, GROUP, 'Rose');
    const { feedback } = await harness.runtime.context.store.readFeedback(SERVER, GROUP);
    assert.ok(!feedback.suggestions.some((entry) => entry.member === 'Rose'), 'Rose\'s suggestions went with her');
    assert.ok(!Object.keys(feedback.tally.confusions).some((key) => key.includes('rose')));

    const [keep, take] = feedback.suggestions;
    assert.ok(keep && take, 'two suggestions left to decide');
    const accepted = await runCli(harness.config.dataDir, SERVER, 'suggestions', GROUP, '--accept', '--except', String(keep.number), '--json');
    assertExit(accepted, 0);
    const [decision] = jsonLines(accepted, z.object({ group: z.string(), accepted: z.array(z.number()), notInGroup: z.array(z.number()), rejected: z.array(z.number()) }));
    assert.deepEqual(decision, { group: GROUP, accepted: [take.number], notInGroup: [], rejected: [] });
    const member = take.member ?? '';
    const added = (await harness.runtime.context.store.getSamples(SERVER, GROUP, member)).at(-1);
    assert.deepEqual(added?.provenance.suggestedBy, take.fans.map((fan) => fan.user));
    assert.equal(added?.provenance.approvedBy, 'cli');
    assert.deepEqual((await harness.runtime.context.store.readFeedback(SERVER, GROUP)).feedback.suggestions.map((entry) => entry.number), [keep.number]);
    assertExit(await runCli(harness.config.dataDir, SERVER, 'suggestions', GROUP, '--accept', '--reject'), 2);
  });

  test('a group keeps at most 200 pending suggestions: past that a new one is refused until admins decide, and nothing is written', async () => {
    const { store } = harness.runtime.context;
    const [model] = (await store.readFeedback(SERVER, GROUP)).feedback.suggestions;
    assert.ok(model);
    await store.changeFeedback(SERVER, GROUP, (feedback) => {
      const fillers = Array.from({ length: MAX_PENDING_SUGGESTIONS - feedback.suggestions.length }, (_, index) => ({ ...model, number: feedback.nextNumber + index, member: 'Jennie', answerId: 'f1f1f1f1' }));
      return { feedback: { ...feedback, nextNumber: feedback.nextNumber + fillers.length, suggestions: [...feedback.suggestions, ...fillers] }, result: undefined };
    });
    const answer = await identifyOnBot(blackpinkPhoto('lisa', 6));
    const full = failureOf(await correct(answer.feedback?.answerId ?? '', 1, 'Jisoo', 'kai'));
    assert.equal(full.code, 'suggestions_full');
    assert.match(full.message, /^200 suggestions are already waiting for review in BLACKPINK/);
    assert.equal((await store.readFeedback(SERVER, GROUP)).feedback.suggestions.length, MAX_PENDING_SUGGESTIONS);
  });

  test('deleting the group leaves no suggestion, crop, sample or model of it in the store', async () => {
    const { feedback } = await harness.runtime.context.store.readFeedback(SERVER, GROUP);
    assert.ok(feedback.suggestions.length + Object.keys(feedback.tally.confirmed).length > 0, 'there was feedback to delete');
    answerOf(await run('group', { action: 'delete', group: GROUP }));
    const left = [...(await storeEntries()).keys()].filter((key) => key.includes(`:${SERVER}:`) && !/^(answer|confirmed|corrections|deleted|shown):/.test(key));
    assert.deepEqual(left, []);
  });
});
