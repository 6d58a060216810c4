/** What every ServerGate must do, run against the in-memory gate and the Redis one alike. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerLimits } from '../../core/config.ts';
import type { ServerGate } from '../../workers/limits/limits.ts';
import { refusal } from './refusal.ts';

export const GATE_LIMITS: ServerLimits = { maxQueuedJobs: 3, maxAnnotateJobs: 1, clipSecondsPerDay: 600, correctionsPerHour: 10 };

/** Declares the contract's tests; `makeGate` gives each test a gate of its own with GATE_LIMITS. */
export function serverGateContract(makeGate: () => ServerGate): void {
  test('admits up to maxQueuedJobs, then refuses with busy', async () => {
    const gate = makeGate();
    for (const id of ['j1', 'j2', 'j3']) await gate.admit('s', 'identify', id);
    const error = await refusal(gate.admit('s', 'identify', 'j4'));
    assert.equal(error.code, 'busy');
    assert.match(error.message, /3 requests waiting \(at most 3\); try again in \d+ minutes?\.$/);
    await gate.admit('another-server', 'identify', 'j4');
  });

  test('caps clips separately from the total', async () => {
    const gate = makeGate();
    await gate.admit('s', 'annotate', 'clip1');
    assert.match((await refusal(gate.admit('s', 'annotate', 'clip2'))).message, /1 clip being labelled \(at most 1 at once\)/);
    await gate.admit('s', 'identify', 'j1');
    await gate.admit('s', 'group', 'j2');
    assert.equal((await refusal(gate.admit('s', 'identify', 'j3'))).code, 'busy');
  });

  test('release frees a slot', async () => {
    const gate = makeGate();
    for (const id of ['j1', 'j2', 'j3']) await gate.admit('s', 'group', id);
    await refusal(gate.admit('s', 'group', 'j4'));
    await gate.release('s', 'group', 'j2');
    await gate.admit('s', 'group', 'j4');
  });

  test('the same job admitted twice counts once', async () => {
    const gate = makeGate();
    await gate.admit('s', 'identify', 'j1');
    await gate.admit('s', 'identify', 'j1');
    await gate.admit('s', 'identify', 'j2');
    await gate.admit('s', 'identify', 'j3');
    await refusal(gate.admit('s', 'identify', 'j4'));
  });

  test('concurrent admits never let more than maxQueuedJobs in', async () => {
    const gate = makeGate();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => gate.admit('s', 'identify', `j${index}`)));
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, GATE_LIMITS.maxQueuedJobs);
  });

  test('the clip quota refuses the clip that would exceed the day and accepts ones that fit', async () => {
    const gate = makeGate();
    await gate.consume('s', 500);
    const error = await refusal(gate.consume('s', 200));
    assert.equal(error.code, 'quota_exceeded');
    assert.equal(error.details.usedSeconds, 500);
    await gate.consume('s', 100);
    await refusal(gate.consume('s', 0.5));
    await gate.consume('another-server', 600);
  });
}
