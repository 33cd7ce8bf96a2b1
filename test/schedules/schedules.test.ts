// Schedules end to end through the CLI: a pinned clock (LOOOP_NOW), real files, a scripted decider.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner, type ScriptedRunner } from '../helpers/runner.ts';
import { pulseProfile, startForeground } from '../pulse/harness.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (s: number) => ({ LOOOP_NOW: new Date(T0 + s * 1000).toISOString(), LOOOP_NOOP_TTL: '0' });

function quietProfile(): { p: Profile; r: ScriptedRunner } {
  const p = makeProfile('looop-sched');
  const r = scriptedRunner(p);
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":{"day":"fixed"}}\'\n', 0o755);
  r.queue({ action: 'noop', reason: 'first look' });
  assert.equal(p.run(['tick'], { env: at(0) }).code, 0);
  return { p, r };
}

function tick(p: Profile, s: number): string {
  const res = p.run(['tick', '--json'], { env: at(s) });
  assert.equal(res.code, 0, res.stderr);
  return res.stdout;
}

const decided = (out: string) => /"event":"decided"/.test(out);

describe('a one-shot schedule', () => {
  const { p, r } = quietProfile();
  after(() => p.cleanup());

  it('is added by hand, wakes exactly one decide when due, and is then gone', () => {
    const add = p.run(['schedule-add', 'ping', '--in', '2h', 'ask', 'Ann', 'about', 'the', 'deploy'], { env: at(10) });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /scheduled ping: next due/);
    r.queue({ action: 'noop', reason: 'saw the schedule' }, { action: 'noop', reason: 'must not be asked' });
    const calls = r.calls();
    assert.ok(!decided(tick(p, 60)), 'not due yet: the world is unchanged');
    assert.ok(!decided(tick(p, 7000)), 'still not due');
    assert.ok(decided(tick(p, 7211)), 'due: the decider is woken');
    assert.equal(r.calls(), calls + 1);
    const prompt = r.prompts().at(-1)!;
    assert.match(prompt, /sys-schedules/);
    assert.match(prompt, /ask Ann about the deploy/);
    assert.ok(!existsSync(join(p.dataDir, 'schedules', 'ping.json')), 'a one-shot is gone once decided');
    assert.ok(!decided(tick(p, 7300)), 'and it does not wake the decider a second time');
    assert.equal(r.calls(), calls + 1);
  });
});

describe('a recurring schedule', () => {
  const { p, r } = quietProfile();
  after(() => p.cleanup());

  it('wakes once per period and never between', () => {
    r.queue({ action: 'write_schedule', name: 'poll', every_s: 3600, note: 'read the inbox' });
    writeFileSync(join(p.dataDir, 'nudge'), '');
    p.writeFile('sensors/nudge.sh', '#!/bin/sh\necho \'{"signal":{"n":1}}\'\n', 0o755);
    assert.ok(decided(tick(p, 5)), 'a new sensor reading: the decider writes the schedule');
    const file = JSON.parse(readFileSync(join(p.dataDir, 'schedules', 'poll.json'), 'utf8'));
    assert.equal(file.due_at, new Date(T0 + 3605_000).toISOString());
    r.queue(...Array.from({ length: 2 }, () => ({ action: 'noop', reason: 'inbox read' })));
    const calls = r.calls();
    const wakes = [1800, 3604, 3606, 5400, 7204, 7206, 9000].filter((s) => decided(tick(p, s)));
    assert.deepEqual(wakes, [3606, 7206]);
    assert.equal(r.calls(), calls + 2);
  });

  it('drop_schedule removes it; a bad write_schedule fails the beat with the reason', () => {
    r.queue({ action: 'drop_schedule', name: 'poll' });
    p.writeFile('sensors/nudge.sh', '#!/bin/sh\necho \'{"signal":{"n":2}}\'\n', 0o755);
    assert.ok(decided(tick(p, 9100)));
    assert.ok(!existsSync(join(p.dataDir, 'schedules', 'poll.json')));
    for (const [bad, why] of [
      [{ action: 'write_schedule', name: 'x', note: 'no trigger' }, /needs exactly one of "in_s", "every_s", "at" \(got none\)/],
      [{ action: 'write_schedule', name: 'x', in_s: 600, every_s: 600 }, /got in_s and every_s/],
      [{ action: 'write_schedule', name: 'x', every_s: 30 }, /every_s/],
      [{ action: 'write_schedule', name: 'x', at: 'someday' }, /needs 5 fields/],
    ] as const) {
      r.queue(bad);
      p.writeFile('sensors/nudge.sh', `#!/bin/sh\necho '{"signal":{"n":"${Math.random()}"}}'\n`, 0o755);
      const res = p.run(['tick'], { env: { ...at(20000 + r.calls() * 1000), LOOOP_NOW: new Date(T0 + 86400_000 * r.calls()).toISOString() } });
      assert.equal(res.code, 1, `${JSON.stringify(bad)} must fail the beat`);
      assert.match(res.stderr, why);
      assert.ok(!existsSync(join(p.dataDir, 'schedules', 'x.json')), 'nothing half-written');
    }
  });

  it('`looop schedules` lists them; schedule-add refuses bad input with one line', () => {
    assert.equal(p.run(['schedule-add', 'daily', '--at', '0 9 * * 1-5', '--tz', 'Europe/Berlin', 'standup'], { env: at(0) }).code, 0);
    const list = p.run(['schedules', '--json']);
    assert.equal(list.code, 0);
    assert.deepEqual(JSON.parse(list.stdout).map((s: { name: string }) => s.name), ['daily']);
    assert.match(p.run(['schedules']).stdout, /daily .* at 0 9 \* \* 1-5 \(Europe\/Berlin\)\s+standup/);
    const bad = p.run(['schedule-add', 'x', '--every', '10s']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^looop: schedule x: --every must be .* >= 60\n$/);
    assert.equal(p.run(['schedule-drop', 'nope']).code, 1);
  });
});

describe('the pulse', () => {
  it('with interval 300 wakes for a schedule within 2 s of its due time', async () => {
    const p = pulseProfile({ interval: 300 });
    try {
      const fg = startForeground(p);
      await fg.waitFor(/next beat in 300s/, 30_000);
      const due = Date.now() + 6000;
      const seen = fg.out().length;
      p.writeFile('schedules/soon.json', JSON.stringify({ note: 'soon', in_s: 60, due_at: new Date(due).toISOString() }));
      while (!/deciding with/.test(fg.out().slice(seen)) && Date.now() < due + 30_000) await new Promise((r) => setTimeout(r, 50));
      const woke = Date.now();
      assert.ok(woke - due < 2500 && woke >= due - 200, `woke ${woke - due} ms after the due time`);
      fg.child.kill('SIGTERM');
      await fg.exited;
    } finally {
      p.cleanup();
    }
  });
});
