// The human channel with real processes and a real tmux: whatever writes to the inbox (a cron-style
// tick in another shell), the foreground stream shows it; notify_command runs once per record across
// pulse restarts; `looop stop` from another shell ends the loop; a missing runner holds, then resumes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Profile } from '../helpers/profile.ts';
import { lsJson, until } from '../fleet/fixture.ts';
import { alive, pulseProfile, startForeground } from './harness.ts';

const profiles: Profile[] = [];
const profile = (extra?: Record<string, unknown>) => {
  const p = pulseProfile(extra);
  profiles.push(p);
  return p;
};
after(() => profiles.forEach((p) => p.cleanup()));

/** Replaces the scripted runner's queue with these decisions. */
function requeue(p: Profile, ...decisions: Array<Record<string, unknown>>): void {
  const q = join(p.root, 'runner', 'queue');
  for (const f of readdirSync(q)) rmSync(join(q, f));
  decisions.forEach((d, i) => writeFileSync(join(q, `9${String(i).padStart(3, '0')}.json`), JSON.stringify(d)));
}

const pulsePid = (p: Profile) => Number(p.tmux(['display-message', '-p', '-t', '=looop:=pulse', '#{pane_pid}']).trim());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a notification from a cron-style tick in another shell reaches the foreground stream within 2 s', async () => {
  const p = profile({ interval: 300 });
  const fg = startForeground(p);
  await fg.waitFor(/next beat in 300s/, 30_000);
  requeue(p, { action: 'send_notification', message: 'hello human, check fg1' });
  const r = p.run(['tick', '--force']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, />>> hello human, check fg1/);
  const t0 = Date.now();
  await fg.waitFor(/✉ #1 hello human, check fg1/, 2000);
  assert.ok(Date.now() - t0 <= 2000);
  // it is in the inbox, status leads with it, and ack clears it
  assert.match(p.run(['inbox']).stdout, /^1 unread[\s\S]*#1 .* notify +hello human, check fg1$/m);
  assert.match(p.run(['status']).stdout.split('\n')[0]!, /✉ 1 unread/);
  assert.equal(p.run(['inbox', 'ack', '1']).code, 0);
  assert.match(p.run(['inbox']).stdout, /nothing unread/);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
});

test('notify_command runs a real script once per record, and not again after the pulse restarts', async () => {
  const p = profile({ interval: 300 });
  // The README's tested example, verbatim: its script and its notify_command.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const body = readme.match(/\n {4}(#!\/bin\/sh\n {4}# looop-notify[\s\S]*?)\n\n/)![1]!.replace(/^ {4}/gm, '');
  const example = JSON.parse(`{${readme.match(/\n {4}("notify_command": \["\/home\/me\/bin\/looop-notify".*)\n/)![1]}}`) as { notify_command: string[] };
  const log = join(p.home, 'looop-inbox.log');
  const script = join(p.root, 'looop-notify');
  writeFileSync(script, body + '\n');
  chmodSync(script, 0o755);
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  p.writeConfig({ ...cfg, notify_command: [script, ...example.notify_command.slice(1)] });
  const lines = () => {
    try {
      return readFileSync(log, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  let fg = startForeground(p);
  await fg.waitFor(/next beat in 300s/, 30_000);
  requeue(p, { action: 'send_notification', message: 'deploy done; $(touch pwned) `id`' });
  assert.equal(p.run(['tick', '--force']).code, 0);
  assert.equal(p.run(['start-session', 'w1', 'x', 'sh']).code, 0);
  assert.equal(p.run(['flag', 'w1', 'which branch?']).code, 0);
  await until('two deliveries', () => lines().length >= 2);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
  // stopping the loop killed w1; its flag is gone with it, but the records stay delivered
  fg = startForeground(p);
  await fg.waitFor(/pulse up/, 30_000);
  await sleep(4000);
  assert.deepEqual(lines(), [
    'notify|deploy done; $(touch pwned) `id`|deploy done; $(touch pwned) `id`|',
    'flag|⚑ w1: which branch?|which branch?|w1',
  ]);
  assert.equal(readdirSync(p.dataDir).includes('pwned'), false, 'no shell saw the message');
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
});

test('`looop stop` from another shell tears down the pulse and its workers; the foreground exits 0', async () => {
  const p = profile();
  const fg = startForeground(p);
  await fg.waitFor(/next beat in/, 30_000);
  assert.equal(p.run(['start-session', 'w1', 'x', 'sh']).code, 0);
  const pids = [pulsePid(p), ...lsJson(p).map((w) => w.pid as number)];
  assert.match(p.run(['status']).stdout, /^pulse\s+running \(pid \d+; looop stop ends it\)/m);
  const r = p.run(['stop']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stopped the pulse \(pid \d+\) and 1 worker\(s\)/);
  assert.equal(await fg.exited, 0);
  assert.match(fg.out(), /pulse down: stopped by looop stop/);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
  assert.match(p.run(['stop']).stdout, /no pulse runs on this profile/);
});

test('a missing runner holds the loop with one line and an inbox note, then resumes when the runner appears on PATH', async () => {
  const p = profile({ interval: 300 });
  const bin = join(p.root, 'bin');
  mkdirSync(bin);
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  p.writeConfig({ ...cfg, default: 'ghost', runners: { ...cfg.runners, ghost: { tick: 'ghost-decider' } } });
  const fg = startForeground(p, [], { PATH: `${bin}:${p.env.PATH}` });
  await fg.waitFor(/held: runner "ghost": command "ghost-decider" not found on PATH/, 30_000);
  await sleep(6000);
  assert.equal(fg.out().match(/held:/g)?.length, 1, 'the hold is said once, not every recheck');
  assert.match(p.run(['inbox']).stdout, /held +the loop is held until you fix this — runner "ghost"/);
  assert.match(p.run(['tick'], { env: { PATH: `${bin}:${p.env.PATH}` } }).stderr, /looop: beat held: runner "ghost"/);
  // the runner appears: the scripted one, under the missing name
  writeFileSync(join(bin, 'ghost-decider'), `#!/bin/sh\nexec '${join(p.root, 'runner', 'runner.sh')}'\n`);
  chmodSync(join(bin, 'ghost-decider'), 0o755);
  requeue(p, { action: 'noop', reason: 'back in business' });
  await fg.waitFor(/resumed: fixed: runner "ghost"/, 30_000);
  await fg.waitFor(/noop: back in business/, 30_000);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
});

test('`looop poke` wakes a sleeping pulse for one beat that ignores the world hash', async () => {
  const p = profile({ interval: 300 });
  const fg = startForeground(p);
  await fg.waitFor(/next beat in 300s/, 30_000);
  requeue(p, { action: 'noop', reason: 'poked awake' });
  assert.match(p.run(['poke']).stdout, /poked the pulse \(pid \d+\)/);
  await fg.waitFor(/forced: ignoring the backoff[\s\S]*noop: poked awake/, 30_000);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
});

test('a config broken while the pulse runs holds it (said once), and fixing the file resumes it', async () => {
  const p = profile({ interval: 2 });
  const fg = startForeground(p);
  await fg.waitFor(/next beat in 2s/, 30_000);
  const good = readFileSync(p.configPath, 'utf8');
  writeFileSync(p.configPath, good.replace('"interval": 2', '"intervall": 2'));
  await fg.waitFor(/held: config .*unknown key "intervall"/, 30_000);
  await sleep(6000);
  assert.equal(fg.out().match(/held:/g)?.length, 1);
  writeFileSync(p.configPath, good);
  await fg.waitFor(/resumed: fixed: config/, 30_000);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
});
