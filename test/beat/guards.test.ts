// GUARDS (backoff, rate cap, budget) and the RECHECK, with injected clocks: nothing here sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backoffSeconds, checkBackoff, checkBudget, checkRateCap, dueForRecheck, nextLocalMidnight, recordFailure,
  type BackoffState,
} from '../../src/beat/guards.ts';
import { readBackoff } from '../../src/beat/state.ts';
import { layout } from '../../src/paths.ts';

const T0 = new Date('2025-03-14T12:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const iso = (s: number) => at(s).toISOString();

test('backoff waits min(60·2^(n−1), 300) seconds after the n-th consecutive failure', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10, 60].map(backoffSeconds), [0, 60, 120, 240, 300, 300, 300, 300]);
});

test('backoff holds the beat until last failure + wait, then lets it through', () => {
  const s: BackoffState = { failures: 2, last_failure_ts: iso(0), policy: 'P' };
  const held = checkBackoff(s, 'P', at(30));
  assert.equal(held.hold, true);
  if (held.hold) {
    assert.equal(held.waitS, 90);
    assert.equal(held.until.toISOString(), iso(120));
  }
  const last = checkBackoff(s, 'P', at(119.5));
  assert.ok(last.hold && last.waitS === 1, 'a partial second still waits one second');
  assert.deepEqual(checkBackoff(s, 'P', at(120)), { hold: false });
  assert.deepEqual(checkBackoff(s, 'P', at(5000)), { hold: false });
});

test('no backoff state, or zero failures, never holds', () => {
  assert.deepEqual(checkBackoff(null, 'P', T0), { hold: false });
  assert.deepEqual(checkBackoff({ failures: 0, last_failure_ts: iso(0), policy: 'P' }, 'P', at(1)), { hold: false });
});

test('recordFailure counts consecutive failures whatever the world did meanwhile', () => {
  let s = recordFailure(null, 'P', at(0));
  assert.deepEqual(s, { failures: 1, last_failure_ts: iso(0), policy: 'P' });
  s = recordFailure(s, 'P', at(60));
  s = recordFailure(s, 'P', at(180));
  assert.equal(s.failures, 3);
  assert.equal(s.last_failure_ts, iso(180));
  const held = checkBackoff(s, 'P', at(200));
  assert.ok(held.hold && held.until.toISOString() === iso(180 + 240));
});

test('a PLAYBOOK or goal change cuts the backoff wait short, but the failure count keeps counting', () => {
  const s: BackoffState = { failures: 3, last_failure_ts: iso(0), policy: 'old-policy' };
  const v = checkBackoff(s, 'new-policy', at(10));
  assert.equal(v.hold, false);
  assert.ok(!v.hold && v.cut && /PLAYBOOK or goals changed/.test(v.cut));
  // The cut beat fails again: the count goes on from 3, it does not restart at 1.
  const next = recordFailure(s, 'new-policy', at(20));
  assert.equal(next.failures, 4);
  assert.equal(next.policy, 'new-policy');
  const held = checkBackoff(next, 'new-policy', at(30));
  assert.ok(held.hold && held.until.toISOString() === iso(20 + 300));
});

test('a backoff record without a policy (unreadable file) is never cut short by policy', () => {
  const v = checkBackoff({ failures: 1, last_failure_ts: iso(0), policy: '' }, 'any', at(10));
  assert.equal(v.hold, true);
});

test('an unreadable backoff file counts as failing, never as clear', () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-guards-'));
  try {
    const p = layout(dir);
    assert.equal(readBackoff(p), null, 'no file: clear');
    writeFileSync(p.backoff, '{ torn wri');
    const s = readBackoff(p);
    assert.ok(s && s.failures >= 1);
    assert.equal(checkBackoff(s, 'P', new Date(Date.parse(s.last_failure_ts) + 1000)).hold, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rate cap holds once cap decide attempts fall in the rolling hour, until the oldest is an hour old', () => {
  const attempts = [iso(-3600 - 1), iso(-3599), iso(-1800), iso(-60)];
  const v = checkRateCap(attempts, 3, T0);
  assert.equal(v.hold, true);
  assert.deepEqual(v.recent, [iso(-3599), iso(-1800), iso(-60)], 'attempts older than an hour are pruned');
  assert.equal(v.until!.toISOString(), iso(1), 'until = oldest recent attempt + 1 h');
  // One second later the oldest has aged out.
  assert.equal(checkRateCap(v.recent, 3, at(1)).hold, false);
});

test('rate cap lets the beat through below the cap', () => {
  const v = checkRateCap([iso(-100), iso(-50)], 3, T0);
  assert.equal(v.hold, false);
  assert.equal(v.recent.length, 2);
});

test('rate cap 0 is off, however many attempts there were', () => {
  const many = Array.from({ length: 1000 }, (_, i) => iso(-i));
  assert.equal(checkRateCap(many, 0, T0).hold, false);
});

test('rate cap ignores garbage timestamps in its log', () => {
  assert.deepEqual(checkRateCap(['nonsense', iso(-5)], 2, T0), { recent: [iso(-5)], hold: false });
});

test('budget: off without max_daily_usd, clear below it', () => {
  assert.deepEqual(checkBudget(1e6, null, T0), { hold: false });
  assert.deepEqual(checkBudget(4.99, 5, T0), { hold: false });
});

test('budget reached holds until the next LOCAL midnight (checked just before midnight)', () => {
  const late = new Date(2025, 2, 14, 23, 59, 59, 900); // local time
  const v = checkBudget(5, 5, late);
  assert.equal(v.hold, true);
  assert.ok(v.hold);
  assert.equal(v.until.getTime(), new Date(2025, 2, 15, 0, 0, 0, 0).getTime());
  const early = new Date(2025, 2, 14, 0, 0, 1);
  assert.equal(nextLocalMidnight(early).getTime(), new Date(2025, 2, 15).getTime());
});

test('budget midnight is local, not UTC, in a zone far from UTC and across a DST change', () => {
  const saved = process.env.TZ;
  try {
    process.env.TZ = 'Pacific/Auckland'; // UTC+13 in March
    const late = new Date(2025, 2, 14, 23, 30);
    const until = nextLocalMidnight(late);
    assert.equal(until.getHours(), 0);
    assert.equal(until.getDate(), 15);
    assert.equal(until.getTime() - late.getTime(), 30 * 60 * 1000);
    process.env.TZ = 'America/New_York'; // clocks jump forward at 02:00 on 2025-03-09
    const beforeDst = new Date(2025, 2, 8, 23, 0);
    const m = nextLocalMidnight(beforeDst);
    assert.equal(m.getDate(), 9);
    assert.equal(m.getHours(), 0);
    assert.equal(m.getTime() - beforeDst.getTime(), 3600 * 1000);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test('RECHECK is due only for a noop on the same world hash at least ttl ago', () => {
  const ttl = 6 * 3600;
  const last = { action: 'noop', hash: 'H', ts: iso(0) };
  assert.equal(dueForRecheck(last, 'H', ttl, at(ttl)), ttl);
  assert.equal(dueForRecheck(last, 'H', ttl, at(ttl + 10)), ttl + 10);
  assert.equal(dueForRecheck(last, 'H', ttl, at(ttl - 1)), null, 'too soon');
  assert.equal(dueForRecheck(last, 'OTHER', ttl, at(ttl * 2)), null, 'a different world');
  assert.equal(dueForRecheck({ ...last, action: 'run_shell' }, 'H', ttl, at(ttl * 2)), null, 'not a noop');
  assert.equal(dueForRecheck(null, 'H', ttl, at(ttl * 2)), null, 'no decision yet');
});

test('RECHECK ttl 0 is off', () => {
  assert.equal(dueForRecheck({ action: 'noop', hash: 'H', ts: iso(0) }, 'H', 0, at(1e7)), null);
});
