// How long until the next beat — busy after acting, active while a worker lives, else idle;
// the decider's next_interval_s overrides once, clamped to 5..300.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCadence, type CadenceInput } from '../../src/beat/cadence.ts';

const base: CadenceInput = { acted: false, workersAlive: false, override: null, interval: 60, busyInterval: 20, activeInterval: 30 };

test('idle cadence is `interval` when nothing acted and no worker is alive', () => {
  assert.deepEqual(chooseCadence(base), { seconds: 60, reason: 'idle' });
});

test('a worker alive gives the active cadence', () => {
  assert.deepEqual(chooseCadence({ ...base, workersAlive: true }), { seconds: 30, reason: 'workers active' });
});

test('a beat that acted gives the busy cadence, even with workers alive', () => {
  assert.deepEqual(chooseCadence({ ...base, acted: true }), { seconds: 20, reason: 'busy' });
  assert.equal(chooseCadence({ ...base, acted: true, workersAlive: true }).seconds, 20);
});

test('the one-shot override wins over busy/active/idle', () => {
  assert.deepEqual(chooseCadence({ ...base, acted: true, workersAlive: true, override: 42 }), { seconds: 42, reason: 'decider asked' });
});

test('the override is clamped to 5..300', () => {
  assert.equal(chooseCadence({ ...base, override: 1 }).seconds, 5);
  assert.equal(chooseCadence({ ...base, override: 0 }).seconds, 5);
  assert.equal(chooseCadence({ ...base, override: -30 }).seconds, 5);
  assert.equal(chooseCadence({ ...base, override: 301 }).seconds, 300);
  assert.equal(chooseCadence({ ...base, override: 86400 }).seconds, 300);
  assert.equal(chooseCadence({ ...base, override: 5 }).seconds, 5);
  assert.equal(chooseCadence({ ...base, override: 300 }).seconds, 300);
});

test('a non-finite override is ignored', () => {
  assert.equal(chooseCadence({ ...base, override: Number.NaN }).reason, 'idle');
});

test('a pending wake-up the decider asked for brings the next beat no later than it is due', async () => {
  const { chooseCadence } = await import('../../src/beat/cadence.ts');
  const base = { acted: false, workersAlive: false, override: null, interval: 60, busyInterval: 60, activeInterval: 60 };
  assert.deepEqual(chooseCadence({ ...base, wakeInS: 20.2 }), { seconds: 21, reason: 'decider asked' });
  assert.equal(chooseCadence({ ...base, wakeInS: 600 }).seconds, 60);
  assert.equal(chooseCadence({ ...base, wakeInS: -5 }).seconds, 1);
});
