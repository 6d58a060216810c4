/**
 * The job system's parts that need no Redis and no models: the processor table, job ids, failure encoding,
 * the per-server caps in memory, the outbox delivery and the in-memory delivery ledger.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERRORS, IdolensError } from '../../core/errors.ts';
import { MemoryDeliveryLedger } from '../../workers/delivery/ledger.ts';
import { OutboxDelivery } from '../../workers/delivery/outbox-delivery.ts';
import { decodeFailure, encodeFailure, isPermanentFailure } from '../../workers/job-errors.ts';
import { JOB_NAMES, type JobName } from '../../workers/jobs.ts';
import { busyError, minutesUntilUtcMidnight, quotaError, waitMinutes } from '../../workers/limits/limits.ts';
import { MemoryServerGate } from '../../workers/limits/memory-gate.ts';
import { ALL_PROCESSORS, processorTable } from '../../workers/processors/index.ts';
import type { Processor } from '../../workers/processors/processor.ts';
import { jobIdFor } from '../../workers/queue/queue.ts';
import type { JobAnswer } from '../../workers/results.ts';
import { refusal } from '../helpers/refusal.ts';
import { makeTempDir } from '../helpers/runtime.ts';
import { GATE_LIMITS, serverGateContract } from '../helpers/server-gate-contract.ts';


function fakeProcessor(name: string): Processor<JobName> {
  return { name, run: async () => { throw new Error('not run in these tests'); } } as unknown as Processor<JobName>;
}

function processorsFor(names: readonly string[]): Processor<JobName>[] {
  return names.map(fakeProcessor);
}

describe('processor table', () => {
  test('accepts ALL_PROCESSORS: one processor per job name', () => {
    const table = processorTable(ALL_PROCESSORS);
    assert.deepEqual(Object.keys(table).sort(), [...JOB_NAMES].sort());
    for (const name of JOB_NAMES) assert.equal(table[name].name, name);
  });

  test('refuses to start when a job name has no processor, and names it', () => {
    assert.throws(() => processorTable(processorsFor(JOB_NAMES.filter((name) => name !== 'train'))), /no processor for job "train"/);
  });

  test('refuses to start when a job name has two processors', () => {
    assert.throws(() => processorTable(processorsFor([...JOB_NAMES, 'identify'])), /2 processors for job "identify"/);
  });

  test('refuses to start when a processor names an unknown job', () => {
    assert.throws(() => processorTable(processorsFor([...JOB_NAMES, 'resize'])), /processor for unknown job "resize"/);
  });

  test('lists every problem at once', () => {
    const names = [...JOB_NAMES.filter((name) => name !== 'group' && name !== 'annotate'), 'enroll', 'resize'];
    assert.throws(() => processorTable(processorsFor(names)), (error: unknown) => {
      assert.ok(error instanceof Error);
      for (const problem of ['no processor for job "group"', 'no processor for job "annotate"', '2 processors for job "enroll"', 'processor for unknown job "resize"']) {
        assert.ok(error.message.includes(problem), `missing "${problem}" in: ${error.message}`);
      }
      return true;
    });
  });
});

describe('job ids and failures', () => {
  test('jobIdFor is stable per request, free of ":" and differs between job names', () => {
    assert.equal(jobIdFor('identify', '1234567890'), jobIdFor('identify', '1234567890'));
    assert.equal(jobIdFor('identify', '1234567890'), 'identify-1234567890');
    assert.notEqual(jobIdFor('identify', 'r1'), jobIdFor('annotate', 'r1'));
    for (const id of ['tg:-100123:45', 'a:b:c', 'x'.repeat(500), '../..', '', '노래:1']) {
      const jobId = jobIdFor('group', id);
      assert.doesNotMatch(jobId, /:/);
      assert.match(jobId, /^group-[A-Za-z0-9_-]+$/);
      assert.ok(jobId.length <= 120, `${jobId.length} characters`);
      assert.equal(jobIdFor('group', id), jobId);
    }
  });

  test('two requests never share a job id, even when their ids clean up the same', () => {
    const ids = ['a:b', 'a_b', 'a/b', 'a.b', `${'x'.repeat(200)}1`, `${'x'.repeat(200)}2`, '', '_'];
    assert.equal(new Set(ids.map((id) => jobIdFor('group', id))).size, ids.length);
  });

  test('encodeFailure and decodeFailure round-trip a code and a message', () => {
    const message = 'This server already has 3 requests waiting (at most 3); try again in 2 minutes.\nSecond line [x].';
    assert.deepEqual(decodeFailure(encodeFailure('busy', message)), { code: 'busy', message });
    assert.deepEqual(decodeFailure(encodeFailure('no_face', '')), { code: 'no_face', message: '' });
  });

  test('unknown reasons decode to internal, with the sentence for fans', () => {
    const internal = { code: 'internal', message: ERRORS.internal.message };
    for (const reason of [undefined, '', 'Connection is closed.', 'job stalled more than allowable limit', '[made_up] secret detail', '[constructor] x']) {
      assert.deepEqual(decodeFailure(reason), internal, String(reason));
    }
  });

  test('bad media is a permanent failure; internal, download_failed and foreign errors are transient', () => {
    for (const code of ['corrupt_image', 'unsupported_format', 'no_face', 'video_too_long', 'group_not_found', 'quota_exceeded'] as const) {
      assert.equal(isPermanentFailure(new IdolensError(code)), true, code);
    }
    assert.equal(isPermanentFailure(new IdolensError('internal')), false);
    assert.equal(isPermanentFailure(new IdolensError('download_failed')), false);
    assert.equal(isPermanentFailure(new Error('ECONNRESET')), false);
    assert.equal(isPermanentFailure('corrupt_image'), false);
    assert.equal(isPermanentFailure({ code: 'corrupt_image' }), false);
  });
});

describe('limits helpers', () => {
  test('the busy message says how many are waiting and how many minutes to wait', () => {
    const error = busyError({ total: 3, annotate: 0 }, GATE_LIMITS, 5, 'identify');
    assert.equal(error.code, 'busy');
    assert.equal(error.message, 'This server already has 3 requests waiting (at most 3); try again in 5 minutes.');
    assert.equal(error.details.minutes, 5);
    assert.match(busyError({ total: 1, annotate: 0 }, { ...GATE_LIMITS, maxQueuedJobs: 1 }, 1, 'group').message, /has 1 request waiting \(at most 1\); try again in 1 minute\.$/);
  });

  test('the busy message for clips names the clips being labelled', () => {
    const error = busyError({ total: 2, annotate: 1 }, GATE_LIMITS, 3, 'annotate');
    assert.equal(error.message, 'This server already has 1 clip being labelled (at most 1 at once); try again in 3 minutes.');
  });

  test('the quota message gives minutes used, the limit, the clip and the wait until midnight UTC', () => {
    const limits = { ...GATE_LIMITS, clipSecondsPerDay: 1800 };
    const evening = quotaError(1740, 120, limits, new Date('2024-03-10T22:30:00Z'));
    assert.equal(evening.code, 'quota_exceeded');
    assert.equal(evening.message, 'This server has used 29 of its 30 clip minutes today and this clip needs 2; try again in 90 minutes (the count restarts at midnight UTC).');
    assert.match(quotaError(1755, 75, limits, new Date('2024-03-10T10:00:00Z')).message, /used 29\.3 of its 30 clip minutes today and this clip needs 1\.3; try again in 14 hours/);
  });

  test('minutesUntilUtcMidnight at fixed times', () => {
    assert.equal(minutesUntilUtcMidnight(new Date('2024-03-10T00:00:00Z')), 1440);
    assert.equal(minutesUntilUtcMidnight(new Date('2024-03-10T22:00:00.001Z')), 120);
    assert.equal(minutesUntilUtcMidnight(new Date('2024-03-10T23:59:30Z')), 1);
    assert.equal(minutesUntilUtcMidnight(new Date('2024-02-29T12:00:00Z')), 720);
  });

  test('waitMinutes adds the jobs and the clips, rounds up, and is at least one minute', () => {
    assert.equal(waitMinutes({ total: 3, annotate: 1 }, 20, 90), 3);
    assert.equal(waitMinutes({ total: 4, annotate: 0 }, 30, 90), 2);
    assert.equal(waitMinutes({ total: 0, annotate: 0 }, 20, 90), 1);
  });
});

describe('MemoryServerGate', () => {
  serverGateContract(() => new MemoryServerGate(GATE_LIMITS));

  test('the busy estimate uses recorded durations', async () => {
    const gate = new MemoryServerGate(GATE_LIMITS);
    for (const id of ['j1', 'j2', 'j3']) await gate.admit('s', 'identify', id);
    assert.equal((await refusal(gate.admit('s', 'identify', 'j4'))).details.minutes, 1);
    await gate.recordDuration('identify', 600);
    assert.equal((await refusal(gate.admit('s', 'identify', 'j4'))).details.minutes, 30);
  });
});

function groupAnswer(group: string, files: JobAnswer['files'] = []): JobAnswer<'group'> {
  return { job: 'group', text: `Created group ${group}.`, data: { action: 'create', group }, files, someInputBad: false };
}

describe('OutboxDelivery', () => {
  let root: string;
  let outbox: string;
  before(async () => {
    root = await makeTempDir('outbox');
    outbox = path.join(root, 'outbox');
  });
  after(async () => rm(root, { recursive: true, force: true }));

  test('writes <outbox>/<request>/answer.json and the answer\'s files', async () => {
    const chart = path.join(root, 'work-chart.png');
    await writeFile(chart, 'png bytes');
    const answer = groupAnswer('TWICE', [{ name: 'screen-time.png', role: 'chart', contentType: 'image/png', path: chart, bytes: 9 }]);
    const receipt = await new OutboxDelivery(outbox).deliver({ id: 'req-1', target: { kind: 'outbox' } }, answer);
    assert.deepEqual(receipt, { outbox: path.join(outbox, 'req-1') });
    const written = JSON.parse(await readFile(path.join(outbox, 'req-1', 'answer.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(written, {
      request: 'req-1', job: 'group', text: 'Created group TWICE.', data: { action: 'create', group: 'TWICE' },
      files: [{ name: 'screen-time.png', role: 'chart', contentType: 'image/png', bytes: 9 }],
    });
    assert.equal(await readFile(path.join(outbox, 'req-1', 'screen-time.png'), 'utf8'), 'png bytes');
  });

  test('a second delivery for the same request keeps the first answer and returns the same receipt', async () => {
    const delivery = new OutboxDelivery(outbox);
    const request = { id: 'req-twice', target: { kind: 'outbox' as const } };
    const first = await delivery.deliver(request, groupAnswer('First'));
    const second = await delivery.deliver(request, groupAnswer('Second'));
    const failed = await delivery.fail(request, { code: 'internal', message: 'late failure' });
    assert.deepEqual(second, first);
    assert.deepEqual(failed, first);
    assert.match(await readFile(path.join(outbox, 'req-twice', 'answer.json'), 'utf8'), /"group": "First"/);
    assert.deepEqual(await readdir(path.join(outbox, 'req-twice')), ['answer.json']);
  });

  test('concurrent deliveries for one request leave one complete answer', async () => {
    const delivery = new OutboxDelivery(outbox);
    const request = { id: 'req-race', target: { kind: 'outbox' as const } };
    const receipts = await Promise.all(['A', 'B', 'C', 'D'].map((group) => delivery.deliver(request, groupAnswer(group))));
    assert.equal(new Set(receipts.map((receipt) => JSON.stringify(receipt))).size, 1);
    const written = JSON.parse(await readFile(path.join(outbox, 'req-race', 'answer.json'), 'utf8')) as { data: { group: string } };
    assert.ok(['A', 'B', 'C', 'D'].includes(written.data.group));
    assert.deepEqual((await readdir(outbox)).filter((name) => name.endsWith('.partial')), []);
  });

  test('fail writes failure.json', async () => {
    await new OutboxDelivery(outbox).fail({ id: 'req-failed', target: { kind: 'outbox' } }, { code: 'no_face', message: ERRORS.no_face.message });
    const written = JSON.parse(await readFile(path.join(outbox, 'req-failed', 'failure.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(written, { request: 'req-failed', code: 'no_face', message: ERRORS.no_face.message });
  });

  test('request ids with "/" or ".." cannot escape the outbox folder, and do not share a folder', async () => {
    const sandbox = path.join(root, 'sandbox');
    const inner = path.join(sandbox, 'outbox');
    await mkdir(inner, { recursive: true });
    const delivery = new OutboxDelivery(inner);
    const ids = ['..', '../escaped', '../../escaped', '/tmp/escaped', 'a/../../b', '.', '', 'a/b', 'a_b'];
    const folders = new Set<string>();
    for (const id of ids) {
      const receipt = await delivery.deliver({ id, target: { kind: 'outbox' } }, groupAnswer(`G${folders.size}`));
      const folder = String(receipt.outbox);
      assert.equal(path.dirname(folder), inner, `${JSON.stringify(id)} went to ${folder}`);
      folders.add(folder);
    }
    assert.equal(folders.size, ids.length);
    assert.deepEqual(await readdir(sandbox), ['outbox']);
  });
});

describe('MemoryDeliveryLedger', () => {
  test('once() delivers once for concurrent callers with the same request', async () => {
    const ledger = new MemoryDeliveryLedger();
    let deliveries = 0;
    const deliver = async () => {
      deliveries += 1;
      await sleep(20);
      return { message: `m${deliveries}` };
    };
    const receipts = await Promise.all([1, 2, 3].map(() => ledger.once('r1', deliver)));
    assert.equal(deliveries, 1);
    assert.deepEqual(receipts, [{ message: 'm1' }, { message: 'm1' }, { message: 'm1' }]);
    assert.deepEqual(await ledger.once('r1', deliver), { message: 'm1' });
    assert.deepEqual(await ledger.once('r2', deliver), { message: 'm2' });
  });

  test('a failed delivery can be retried', async () => {
    const ledger = new MemoryDeliveryLedger();
    await assert.rejects(ledger.once('r1', async () => { throw new Error('platform down'); }), /platform down/);
    assert.deepEqual(await ledger.once('r1', async () => ({ message: 'sent' })), { message: 'sent' });
    assert.deepEqual(await ledger.once('r1', async () => ({ message: 'again' })), { message: 'sent' });
  });
});
