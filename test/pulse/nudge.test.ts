// A wake-up the decider asked for (next_interval_s) is kept in the data dir: a restarted pulse honours it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startForeground } from './harness.ts';
import { fleetProfile, RUNNERS } from '../fleet/fixture.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
after(() => p?.cleanup());

test('a pulse stopped after a noop asking to check back in 12 s decides again after its restart, in an unchanged world', async () => {
  p = fleetProfile();
  const runner = scriptedRunner(p);
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  // The idle cadence is long: only the wake-up can bring the beat that decides.
  p.writeConfig({ ...cfg, runners: { ...cfg.runners, ...RUNNERS }, interval: 300 });
  assert.equal(p.run(['tick', '--dry-run']).code, 0);
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":{"day":"fixed"}}\'\n', 0o755);
  runner.queue({ action: 'noop', reason: 'check back soon', next_interval_s: 12 }, { action: 'noop', reason: 'checked' });

  const first = startForeground(p);
  await first.waitFor(/noop: check back soon/, 60_000);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.equal(runner.calls(), 1);

  const second = startForeground(p);
  await second.waitFor(/wake: wake-up the decider asked for/, 60_000);
  await second.waitFor(/noop: checked/, 30_000);
  assert.equal(runner.calls(), 2);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
