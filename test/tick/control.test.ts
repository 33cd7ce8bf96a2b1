// Loop control from a shell: tick --force, a config edit ending the backoff, live decider progress.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

const profiles: Profile[] = [];
after(() => profiles.forEach((p) => p.cleanup()));
const profile = () => {
  const p = makeProfile('looop-control');
  profiles.push(p);
  return p;
};

test('a config fix ends the backoff at once; tick --force decides on an unchanged world; the hourly cap still holds', () => {
  const p = profile();
  const runner = scriptedRunner(p);
  const good = JSON.parse(readFileSync(p.configPath, 'utf8'));
  p.writeConfig({ ...good, runners: { ...good.runners, scripted: { tick: 'exit 1' } } });
  assert.equal(p.run(['tick']).code, 1);
  p.writeFile('goals/more.md', 'x\n');
  assert.equal(p.run(['tick']).code, 1, 'a goal edit cut the first backoff; still failing');
  const held = p.run(['tick']);
  assert.match(held.stdout, /backoff: 2 failed beat\(s\)/);
  // the fix is in looop.json: the backoff ends with it
  p.writeConfig({ ...good, max_decisions_per_hour: 4 });
  runner.queue({ action: 'noop', reason: 'fixed' }, { action: 'noop', reason: 'forced' }, { action: 'noop', reason: 'never' });
  const fixed = p.run(['tick']);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stdout, /backoff cut short: PLAYBOOK or goals changed/);
  assert.match(fixed.stdout, /noop: fixed/);
  assert.match(p.run(['tick']).stdout, /skip: world unchanged/);
  const forced = p.run(['tick', '--force']);
  assert.match(forced.stdout, /forced: ignoring the backoff and the world hash[\s\S]*noop: forced/);
  assert.match(p.run(['tick']).stdout, /skip: world unchanged/, 'force is one-shot');
  const capped = p.run(['tick', '--force']);
  assert.match(capped.stdout, /rate cap: 4\/4 decisions this hour/);
  assert.equal(runner.calls(), 2, 'the scripted runner ran for the fix and the force only');
  assert.match(p.run(['inbox']).stdout, /held +deciding paused: hourly decision cap reached/);
});

test('while a slow decider works, tick prints its tool calls as they happen and a heartbeat after 15 s of silence', async () => {
  const p = profile();
  scriptedRunner(p);
  const slow = join(p.root, 'slow.sh');
  writeFileSync(slow, `#!/bin/sh\ncat >/dev/null\necho '→ Read PLAYBOOK.md'\nsleep 2\necho '→ Bash gh issue list'\nsleep 17\necho '{"action":"noop","reason":"slowly"}' > .decision.json\necho '✓ done'\n`);
  chmodSync(slow, 0o755);
  p.writeConfig({ default: 'slow', runners: { slow: { tick: slow } } });
  const child = spawn(process.execPath, [BIN, 'tick'], { env: p.env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  const waitFor = async (re: RegExp, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > end) throw new Error(`no ${re} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor(/→ Read PLAYBOOK\.md/);
  assert.doesNotMatch(out, /noop: slowly/, 'shown while deciding, not afterwards');
  await waitFor(/→ Bash gh issue list/);
  await waitFor(/… still deciding \(\d+ s\)/);
  assert.doesNotMatch(out, /noop: slowly/);
  assert.equal(await exited, 0);
  assert.match(out, /noop: slowly/);
  assert.match(p.run(['runs', 'show', 'last']).stdout + p.run(['runs']).stdout, /./);
});
