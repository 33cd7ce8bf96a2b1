// The pulse's 1 s watcher runs a worker's verify as soon as it is done, and a failed result wakes the
// decider at once, long before the interval.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile } from '../helpers/profile.ts';
import { until } from '../fleet/fixture.ts';
import { pulseProfile, startForeground } from './harness.ts';

const profiles: Profile[] = [];
after(() => profiles.forEach((p) => p.cleanup()));

test('`looop done` on a running worker: the watcher verifies it, the failure wakes a beat', { timeout: 120_000 }, async () => {
  const p = pulseProfile({ interval: 60 });
  profiles.push(p);
  const fg = startForeground(p);
  try {
    await fg.waitFor(/next beat in 60s/, 30_000);
    assert.equal(p.run(['start-session', 'w1', 'x', 'sh', '--verify', 'echo "3 tests failing"; exit 1']).code, 0);
    await fg.waitFor(/w1 \S+ → \S+/, 30_000);
    const beatsBefore = (fg.out().match(/ beat\b/g) ?? []).length;
    const said = Date.now();
    assert.equal(p.run(['done', 'w1']).code, 0);
    await fg.waitFor(/w1 verify failed \(1\) · waking the decider/, 30_000);
    await until('a beat after the wake', () => (fg.out().match(/ beat\b/g) ?? []).length > beatsBefore, 30_000);
    assert.ok(Date.now() - said < 50_000, 'the beat came long before the 60 s interval');
    const w = JSON.parse(p.run(['ls', '--json']).stdout).find((x: { id: string }) => x.id === 'w1');
    assert.deepEqual(w.verify, { status: 'failed', exit_code: 1, tail: '3 tests failing\n' });
    assert.equal(w.alive, true, 'the worker keeps running');
  } finally {
    fg.child.kill('SIGTERM');
    await fg.exited;
  }
});
