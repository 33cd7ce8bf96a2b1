// When a worker's verify is due (pure), and how its result reaches the pulse's wake-ups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyDue, type VerifyResult } from '../../src/fleet/verify.ts';
import type { WorkerRecord } from '../../src/fleet/record.ts';
import type { WorkerEvent } from '../../src/fleet/state.ts';
import { fleetChanges, snapshot } from '../../src/pulse/fleet-changes.ts';
import type { WorkerInfo } from '../../src/fleet/types.ts';

const rec = (over: Partial<WorkerRecord> = {}): WorkerRecord => ({
  id: 'w',
  runner: 'claude',
  cli: 'claude',
  command: 'claude',
  cwd: '/tmp',
  prompt_file: '/tmp/p',
  started_at: 1000,
  live: true,
  verify: 'npm test',
  ...over,
});
const res = (over: Partial<VerifyResult> = {}): VerifyResult => ({ status: 'failed', exit_code: 1, tail: '', ts: '', started: 1100, run: 1000, cmd: 'npm test', ...over });
const ev = (e: string, ts: number): WorkerEvent => ({ ts, src: 'claude', ev: e });

test('due once per window when it exits; never without a verify command or a window', () => {
  assert.equal(verifyDue(rec(), 1000, { state: 'exited' }, [], null, null), true);
  assert.equal(verifyDue(rec(), 1000, { state: 'exited' }, [], res(), null), false, 'this window was verified');
  assert.equal(verifyDue(rec(), 2000, { state: 'exited' }, [], res(), null), true, 'a restarted window is verified again');
  assert.equal(verifyDue(rec({ verify: undefined }), 1000, { state: 'exited' }, [], null, null), false);
  assert.equal(verifyDue(rec(), null, { state: 'exited' }, [], null, null), false);
  assert.equal(verifyDue(rec(), 1000, { state: 'killed' }, [], null, null), false, 'killed is not done');
  assert.equal(verifyDue(rec(), 1000, { state: 'working' }, [], null, null), false);
});

test('`looop done` makes it due while the worker runs, again for each later done', () => {
  assert.equal(verifyDue(rec(), 1000, { state: 'working' }, [], null, 1050), true);
  assert.equal(verifyDue(rec(), 1000, { state: 'working' }, [], res({ started: 1060 }), 1050), false);
  assert.equal(verifyDue(rec(), 1000, { state: 'working' }, [], res({ started: 1060 }), 1070), true);
  assert.equal(verifyDue(rec(), 1000, { state: 'working' }, [], null, 900), false, 'a done from an earlier window');
});

test('an agent CLI waiting after its first turn is done; waiting right after start, or a plain program waiting, is not', () => {
  assert.equal(verifyDue(rec(), 1000, { state: 'waiting' }, [ev('SessionStart', 1001)], null, null), false);
  assert.equal(verifyDue(rec(), 1000, { state: 'waiting' }, [ev('SessionStart', 1001), ev('Stop', 1050)], null, null), true);
  assert.equal(verifyDue(rec(), 1000, { state: 'waiting' }, [ev('Stop', 900)], null, null), false, 'a turn of an earlier window');
  assert.equal(verifyDue(rec({ cli: 'other' }), 1000, { state: 'waiting' }, [ev('Stop', 1050)], null, null), false);
});

test('a running verify is not started twice; one whose runner died is run again', () => {
  assert.equal(verifyDue(rec(), 1000, { state: 'exited' }, [], res({ status: 'running', pid: process.pid }), null), false);
  assert.equal(verifyDue(rec(), 1000, { state: 'exited' }, [], res({ status: 'running', pid: 2 ** 22 + 12345 }), null), true);
});

test('the pulse: a new verify result is an event (the loop wakes for a finished one)', () => {
  const w = (verify?: WorkerInfo['verify']): WorkerInfo => ({
    id: 'w',
    state: 'exited',
    source: 'tmux',
    alive: false,
    exit_code: 0,
    flag: null,
    age_s: 1,
    idle_s: 1,
    pid: null,
    ...(verify ? { verify } : {}),
  });
  const failed = { status: 'failed' as const, exit_code: 2, tail: 'no PR' };
  assert.deepEqual(fleetChanges(snapshot([w()]), snapshot([w(failed)])), [{ event: 'worker_verify', id: 'w', status: 'failed', exit_code: 2 }]);
  assert.deepEqual(fleetChanges(snapshot([w(failed)]), snapshot([w(failed)])), []);
});

test('start_worker takes an optional verify command; an empty one is refused', async () => {
  const { parseDecision } = await import('../../src/decision.ts');
  const ok = parseDecision('{"action":"start_worker","id":"fix-ci","prompt":"make CI green","verify":"npm test"}');
  assert.ok(ok.ok && ok.decision.action === 'start_worker' && ok.decision.verify === 'npm test');
  const bad = parseDecision('{"action":"start_worker","id":"fix-ci","prompt":"x","verify":""}');
  assert.ok(!bad.ok && /field "verify"/.test(bad.reason), JSON.stringify(bad));
});
