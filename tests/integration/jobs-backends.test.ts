/**
 * Every job kind through both queue backends (BullMQ on a real Redis, and the in-process queue), with real
 * models, real photos and a real clip; the Delivery port is the recording fake (the platform boundary).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliveryRecord } from '../helpers/recording-delivery.ts';
import { BLACKPINK, blackpinkPhoto, heldOutPhotosOf } from '../helpers/fixtures.ts';
import { openJobHarness, type Backend, type JobHarness } from '../helpers/job-harness.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { ffmpeg, sharedClip, streamFacts } from '../helpers/video.ts';
import type { JobInput } from '../../workers/jobs.ts';
import { isInputFailure, type JobAnswer } from '../../workers/results.ts';

const AD = sharedClip('inyourarea_blackpink', 'ad.mp4');
const GROUP = 'BLACKPINK';

interface PhotoServer {
  url(name: string): string;
  hits(name: string): number;
  close(): Promise<void>;
}

/** Serves real photos on loopback; `flaky-*` answers 503 on its first request; `page.html` is not an image. */
async function photoServer(files: Record<string, string>): Promise<PhotoServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '/').slice(1));
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (name.startsWith('flaky-') && hits.get(name) === 1) {
      response.writeHead(503).end('try later');
      return;
    }
    if (name === 'page.html') {
      response.writeHead(200, { 'content-type': 'video/mp4' }).end('<!doctype html><html><body>not a clip</body></html>');
      return;
    }
    const file = files[name.replace(/^flaky-/, '')];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    void readFile(file).then((bytes) => response.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    hits: (name) => hits.get(name) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function answerOf(record: DeliveryRecord): JobAnswer & { files: unknown } {
  assert.equal(record.kind, 'answer', `expected an answer, got ${JSON.stringify(record.kind === 'failure' ? record.failure : record.kind)}`);
  return (record as Extract<DeliveryRecord, { kind: 'answer' }>).answer;
}

function failureOf(record: DeliveryRecord): { code: string; message: string } {
  assert.equal(record.kind, 'failure', 'expected a failure');
  return (record as Extract<DeliveryRecord, { kind: 'failure' }>).failure;
}

async function blobInput(harness: JobHarness, file: string, member?: string): Promise<JobInput> {
  const key = await harness.system.blobs.putFile(file, { ttlSeconds: 600 });
  return { ref: { kind: 'blob', key, name: path.basename(file) }, ...(member === undefined ? {} : { member }) };
}

for (const backend of ['in-process', 'bullmq'] as const satisfies readonly Backend[]) {
  describe(`jobs on the ${backend} queue`, () => {
    let harness: JobHarness;
    let photos: PhotoServer;
    let stalledJobs = 0;
    let events: QueueEvents | undefined;
    let eventsConnection: Redis | undefined;

    before(async () => {
      harness = await openJobHarness(backend, {
        IDOLENS_TRAIN_DEBOUNCE_SECONDS: '4',
        IDOLENS_MEDIA_HOSTS: '127.0.0.1',
        IDOLENS_ALLOW_PRIVATE_URLS: '1',
        IDOLENS_MAX_ANNOTATE_PER_SERVER: '1',
        IDOLENS_CLIP_MINUTES_PER_DAY: '1',
        // A lock shorter than the clip's analysis: a blocked event loop would make the job stall.
        IDOLENS_JOB_LOCK_SECONDS: '2',
      });
      const held = Object.fromEntries(BLACKPINK.map((member) => [`${member}.jpg`, heldOutPhotosOf(member)[0] ?? '']));
      photos = await photoServer(held);
      if (backend === 'bullmq' && harness.config.redisUrl) {
        eventsConnection = new Redis(harness.config.redisUrl, { maxRetriesPerRequest: null });
        events = new QueueEvents('annotate', { connection: eventsConnection, prefix: harness.config.redisPrefix });
        events.on('stalled', () => { stalledJobs += 1; });
        await events.waitUntilReady();
      }
    });

    after(async () => {
      await events?.close();
      eventsConnection?.disconnect();
      await photos?.close();
      await harness?.close();
    });

    test('group jobs create, list and rename groups; a second create of the same name is refused', async () => {
      const created = answerOf(await harness.delivery.waitFor(await harness.submit('group', { action: 'create', group: GROUP })));
      assert.deepEqual(created.data, { action: 'create', group: GROUP });
      assert.match(created.text, /Created group BLACKPINK/);
      const again = failureOf(await harness.delivery.waitFor(await harness.submit('group', { action: 'create', group: GROUP })));
      assert.equal(again.code, 'group_exists');
      await harness.submit('group', { action: 'create', group: 'Temp' });
      const renamed = answerOf(await harness.delivery.waitFor(await harness.submit('group', { action: 'rename', group: 'Temp', newName: 'Temp2' })));
      assert.deepEqual(renamed.data, { action: 'rename', group: 'Temp2', renamedFrom: 'Temp' });
      const listed = answerOf(await harness.delivery.waitFor(await harness.submit('group', { action: 'list' })));
      assert.deepEqual((listed.data as { groups: { group: string }[] }).groups.map((entry) => entry.group).sort(), [GROUP, 'Temp2']);
    });

    test('enroll and import jobs add photos from blobs and a zip, report bad inputs in order, and one debounced training follows', async () => {
      const corrupt = await harness.system.blobs.put(Buffer.from('not a photo at all'), { ttlSeconds: 600 });
      const requests: string[] = [];
      for (const member of BLACKPINK) {
        const inputs = [await blobInput(harness, blackpinkPhoto(member, 0)), await blobInput(harness, blackpinkPhoto(member, 1))];
        if (member === 'jennie') {
          inputs.push({ ref: { kind: 'blob', key: corrupt, name: 'broken.jpg' } }, { source: 'missing.jpg', error: { code: 'not_found', message: 'I could not find that file.' } });
        }
        requests.push(await harness.submit('enroll', { group: GROUP, member, inputs }));
      }
      const zip = buildZip(await Promise.all(BLACKPINK.map(async (member) => ({ name: `${member}/third.jpg`, data: await readFile(blackpinkPhoto(member, 2)) }))));
      const zipFile = path.join(harness.tempDir, 'blackpink.zip');
      await writeFile(zipFile, zip);
      requests.push(await harness.submit('import', { group: GROUP, inputs: [await blobInput(harness, zipFile)] }));
      const answers = await Promise.all(requests.map(async (id) => answerOf(await harness.delivery.waitFor(id))));
      const jennie = answers[0]?.data as { outcomes: { source: string; status: string; reason?: { code: string } }[] };
      assert.deepEqual(jennie.outcomes.map((outcome) => [outcome.source, outcome.status, outcome.reason?.code]), [
        [path.basename(blackpinkPhoto('jennie', 0)), 'accepted', undefined],
        [path.basename(blackpinkPhoto('jennie', 1)), 'accepted', undefined],
        ['broken.jpg', 'rejected', 'unsupported_format'],
        ['missing.jpg', 'rejected', 'not_found'],
      ]);
      assert.equal(answers[0]?.someInputBad, true);
      const imported = answers[4]?.data as { outcomes: { source: string; member: string; status: string }[] };
      assert.deepEqual(imported.outcomes.map((outcome) => [outcome.source, outcome.member, outcome.status]).sort(),
        BLACKPINK.map((member) => [`blackpink.zip:${member}/third.jpg`, member, 'accepted']).sort());
      // Five enrolls in a row, one training once they went quiet.
      const deadline = Date.now() + 60_000;
      const trainings = (): DeliveryRecord[] => harness.delivery.records.filter((record) => record.kind === 'answer' && record.request.target.kind === 'none');
      while (trainings().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(trainings().length, 1, 'one training after many enrolls');
      assert.equal(answerOf(trainings()[0] as DeliveryRecord).job, 'train');
    });

    test('a train job reports cross-validated accuracy per member', async () => {
      const trained = answerOf(await harness.delivery.waitFor(await harness.submit('train', { group: GROUP, force: true })));
      const data = trained.data as { group: string; report: { members: { name: string; samples: number }[] } };
      assert.equal(data.group, GROUP);
      assert.deepEqual(data.report.members.map((member) => [member.name, member.samples]), BLACKPINK.map((member) => [member, 3]));
      assert.match(trained.text, /cross-validated accuracy/);
    });

    test('an identify job names the members from platform URLs, returns labelled pictures, and refuses hosts off the list', async () => {
      const inputs: JobInput[] = [
        ...BLACKPINK.map((member): JobInput => ({ ref: { kind: 'url', url: photos.url(`${member}.jpg`), name: `${member}.jpg`, trust: 'platform' } })),
        { ref: { kind: 'url', url: photos.url('jennie.jpg').replace('127.0.0.1', 'localhost'), name: 'elsewhere.jpg', trust: 'platform' } },
      ];
      const answer = answerOf(await harness.delivery.waitFor(await harness.submit('identify', { group: GROUP, inputs, detector: 'accurate', render: true })));
      const pictures = (answer.data as { pictures: Parameters<typeof isInputFailure>[0][] }).pictures;
      const named = pictures.slice(0, 4).map((picture) => (isInputFailure(picture) ? picture.error.code : picture.faces.map((face) => face.name)));
      assert.ok(named.filter((names, index) => Array.isArray(names) && names.includes(BLACKPINK[index] ?? '')).length >= 3, `names: ${JSON.stringify(named)}`);
      const refused = pictures[4];
      assert.ok(refused && isInputFailure(refused) && refused.error.code === 'url_not_allowed');
      assert.equal(answer.files.length, 4);
      assert.match(answer.text, /jennie\.jpg: /);
    });

    test('a download that fails once is retried and answered once', async () => {
      const request = await harness.submit('identify', { group: GROUP, detector: 'fast', render: false, inputs: [{ ref: { kind: 'url', url: photos.url('flaky-lisa.jpg'), name: 'lisa.jpg', trust: 'platform' } }] });
      const answer = answerOf(await harness.delivery.waitFor(request));
      assert.equal(photos.hits('flaky-lisa.jpg'), 2);
      assert.equal(harness.delivery.outcomesFor(request).length, 1);
      assert.equal(answer.someInputBad, false);
    });

    test('the same request queued twice runs and answers once', async () => {
      const id = `twice-${backend}`;
      await harness.submit('group', { action: 'list' }, { id });
      await harness.submit('group', { action: 'list' }, { id });
      await harness.delivery.waitFor(id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(harness.delivery.outcomesFor(id).length, 1);
    });

    test('an annotate job returns the labelled clip with its audio, a chart and the summary, without stalling', async () => {
      const clip = await harness.system.blobs.putFile(AD, { ttlSeconds: 600 });
      const request = await harness.submit('annotate', { group: GROUP, clip: { kind: 'blob', key: clip, name: 'ad.mp4' }, srt: true, chart: true });
      // One clip at a time per server: a second one is refused at once with how long to wait.
      await assert.rejects(harness.submit('annotate', { group: GROUP, clip: { kind: 'blob', key: clip, name: 'ad.mp4' }, srt: false, chart: false }),
        (error: Error) => /already has 1 clip being labelled \(at most 1 at once\); try again in \d+ minutes?\./.test(error.message));
      const record = await harness.delivery.waitFor(request, 240_000);
      const answer = answerOf(record);
      const files = (record as Extract<DeliveryRecord, { kind: 'answer' }>).files;
      const video = path.join(harness.tempDir, 'labelled.mp4');
      await writeFile(video, files.get('labelled.mp4') ?? Buffer.alloc(0));
      const streams = await streamFacts(video);
      assert.deepEqual(streams.map((stream) => stream.codecType).sort(), ['audio', 'video']);
      assert.ok((files.get('screen-time.png')?.length ?? 0) > 1000);
      assert.ok(files.has('names.srt'));
      assert.equal(answer.text, (answer.data as { summary: string }).summary);
      assert.ok(harness.delivery.records.some((entry) => entry.kind === 'progress' && entry.request.id === request), 'progress was delivered');
      assert.equal(stalledJobs, 0, 'no job stalled');
    });

    test('bad media fails at once with its code and is not retried; a clip over the daily minutes is refused', async () => {
      const page = photos.url('page.html');
      const bad = failureOf(await harness.delivery.waitFor(await harness.submit('annotate', { group: GROUP, clip: { kind: 'url', url: page, name: 'clip.mp4', trust: 'platform' }, srt: false, chart: false })));
      assert.equal(bad.code, 'unsupported_video');
      assert.equal(photos.hits('page.html'), 1, 'bad media is not fetched again');
      const long = path.join(harness.tempDir, 'long.mp4');
      await ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=64x64:r=5:d=70', '-c:v', 'libx264', '-preset', 'ultrafast', long);
      const key = await harness.system.blobs.putFile(long, { ttlSeconds: 600 });
      const refused = failureOf(await harness.delivery.waitFor(await harness.submit('annotate', { group: GROUP, clip: { kind: 'blob', key, name: 'long.mp4' }, srt: false, chart: false })));
      assert.equal(refused.code, 'quota_exceeded');
      assert.match(refused.message, /clip minutes today .* try again in \d+ (minutes|hours)/);
    });
  });
}
