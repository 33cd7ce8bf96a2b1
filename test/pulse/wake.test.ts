// The pulse perceives worker states every second: a plain shell worker reaches `waiting` by the
// screen rules, and its working → waiting wakes a beat at once even with a 60 s interval.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile } from '../helpers/profile.ts';
import { until } from '../fleet/fixture.ts';
import { pulseProfile, startForeground } from './harness.ts';

const profiles: Profile[] = [];
const QUIET = { LOOOP_WORKER_QUIET_SECS: '1' };
const lsJson = (p: Profile): Array<Record<string, any>> => JSON.parse(p.run(['ls', '--json'], { env: QUIET }).stdout);
after(() => profiles.forEach((p) => p.cleanup()));

test('a shell worker: starting → waiting (screen) → working → waiting wakes the decider before the 60 s interval', { timeout: 120_000 }, async () => {
  const p = pulseProfile({ interval: 60 });
  profiles.push(p);
  const fg = startForeground(p, [], { LOOOP_WORKER_QUIET_SECS: '1' });
  try {
    await fg.waitFor(/next beat in 60s/, 30_000);
    assert.equal(p.run(['start-session', 'w1', 'x', 'sh'], { env: { LOOOP_WORKER_QUIET_SECS: '1' } }).code, 0);
    await until('w1 waiting at its prompt', () => lsJson(p).find((w) => w.id === 'w1' && w.state === 'waiting'), 30_000);
    const w = lsJson(p).find((x) => x.id === 'w1')!;
    assert.equal(w.source, 'screen');
    const beatsBefore = (fg.out().match(/ beat\b/g) ?? []).length;
    assert.equal(p.run(['send', 'w1', 'sleep 3; echo done-sleeping']).code, 0);
    await fg.waitFor(/w1 \S+ → working \(screen\)/, 30_000);
    const sent = Date.now();
    await fg.waitFor(/w1 working → waiting \(screen\) · waking the decider/, 30_000);
    await until('a beat after the wake', () => (fg.out().match(/ beat\b/g) ?? []).length > beatsBefore, 30_000);
    assert.ok(Date.now() - sent < 50_000, 'the beat came long before the 60 s interval');
  } finally {
    fg.child.kill('SIGTERM');
    await fg.exited;
  }
});
