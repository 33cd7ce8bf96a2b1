// `looop` runs the loop in the foreground as the `pulse` window of the profile server and,
// however it ends, leaves no worker process behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Profile } from '../helpers/profile.ts';
import { lsJson, transcript, until } from '../fleet/fixture.ts';
import { alive, pulseProfile, startForeground } from './harness.ts';

const profiles: Profile[] = [];
const profile = (extra?: Record<string, unknown>) => {
  const p = pulseProfile(extra);
  profiles.push(p);
  return p;
};
after(() => profiles.forEach((p) => p.cleanup()));

const pulsePid = (p: Profile) => Number(p.tmux(['display-message', '-p', '-t', '=looop:=pulse', '#{pane_pid}']).trim());

/** Three workers, one of which left a background child behind: every pid that must die. */
async function busyFleet(p: Profile): Promise<number[]> {
  for (const id of ['w1', 'w2', 'w3']) assert.equal(p.run(['start-session', id, 'x', 'sh']).code, 0);
  p.run(['send', 'w2', 'sleep 300 & echo bg=$!']);
  const bg = Number((await until('background pid', () => transcript(p, 'w2').match(/bg=(\d+)/)))[1]);
  return [...lsJson(p).map((w) => w.pid as number), bg];
}

test('looop streams the pulse from its tmux window; SIGTERM stops the pulse and every worker, windows and transcripts stay', async () => {
  const p = profile();
  const fg = startForeground(p);
  await fg.waitFor(/pulse up: pid \d+/);
  await fg.waitFor(/next beat in \d+s/);
  const pids = [...(await busyFleet(p)), pulsePid(p)];
  assert.ok(pids.every(alive));
  assert.ok(!lsJson(p).some((w) => w.id === 'pulse'), 'ls lists workers, not the pulse');
  assert.match(p.run(['shot', 'pulse']).stdout, /beat/);
  fg.child.kill('SIGTERM');
  assert.equal(await fg.exited, 0);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
  const ws = lsJson(p);
  assert.deepEqual(ws.map((w) => [w.id, w.state]), [['w1', 'killed'], ['w2', 'killed'], ['w3', 'killed']]);
  assert.ok(existsSync(`${p.dataDir}/sessions/w1/output.log`) && existsSync(`${p.dataDir}/sessions/pulse/output.log`));
  assert.match(fg.out(), /stopped 3 worker\(s\)/);
});

test('SIGHUP (terminal closed) tears down the same way', async () => {
  const p = profile();
  const fg = startForeground(p);
  await fg.waitFor(/next beat in/);
  const pids = [...(await busyFleet(p)), pulsePid(p)];
  fg.child.kill('SIGHUP');
  await fg.exited;
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
});

test('a foreground killed with SIGKILL is noticed by the pulse, which stops the workers and itself', async () => {
  const p = profile();
  const fg = startForeground(p);
  await fg.waitFor(/next beat in/);
  const pids = [...(await busyFleet(p)), pulsePid(p)];
  fg.child.kill('SIGKILL');
  await fg.exited;
  await until('every pid gone', () => pids.every((pid) => !alive(pid)), 15_000);
  assert.ok(lsJson(p).every((w) => w.state === 'killed'));
});

test('the pulse dying tears down the workers and ends looop with exit 1', async () => {
  const p = profile();
  const fg = startForeground(p);
  await fg.waitFor(/next beat in/);
  const workers = await busyFleet(p);
  process.kill(pulsePid(p), 'SIGKILL');
  assert.equal(await fg.exited, 1);
  assert.match(fg.out(), /the pulse died/);
  for (const pid of workers) assert.equal(alive(pid), false, `pid ${pid} is gone`);
});

test('a second looop follows the live pulse instead of starting another; its Ctrl-C only stops following', async () => {
  const p = profile();
  const first = startForeground(p);
  await first.waitFor(/next beat in/);
  const pid = pulsePid(p);
  const second = startForeground(p);
  await second.waitFor(/already runs on this profile/);
  await second.waitFor(/next beat in/, 10_000);
  assert.equal(p.tmux(['list-windows', '-t', 'looop', '-F', '#{window_name}']).split('\n').filter((n) => n === 'pulse').length, 1);
  second.child.kill('SIGINT');
  assert.equal(await second.exited, 0);
  assert.ok(alive(pid), 'the pulse keeps running');
  first.child.kill('SIGTERM');
  await first.exited;
  assert.equal(alive(pid), false);
});

test('looop --json streams NDJSON; a flag raised by a worker shows on the stream; watch pulse follows it', async () => {
  const p = profile();
  const fg = startForeground(p, ['--json']);
  await fg.waitFor(/"event":"sleep"/);
  assert.equal(p.run(['start-session', 'asker', 'x', 'sh']).code, 0);
  const watch = startForeground(p, ['watch', 'pulse']);
  assert.equal(p.run(['flag', 'asker', 'which branch?']).code, 0);
  await fg.waitFor(/"event":"flag","id":"asker","note":"which branch\?"/, 10_000);
  await watch.waitFor(/which branch\?/, 10_000);
  fg.child.kill('SIGINT');
  await fg.exited;
  await watch.exited;
  const lines = fg.out().trim().split('\n');
  for (const line of lines) {
    const e = JSON.parse(line);
    assert.equal(typeof e.event, 'string', line);
    assert.equal(typeof e.ts, 'string', line);
  }
  const kinds = new Set(lines.map((l) => JSON.parse(l).event));
  for (const k of ['pulse', 'tick_start', 'sense', 'sleep', 'flag']) assert.ok(kinds.has(k), `stream has ${k}`);
});

test('inside the user\'s tmux, a new flag pops up once (flag_popup), remembered on the window', async () => {
  const p = profile();
  const user = `${p.root}/user.sock`;
  const { execFileSync, spawnSync } = await import('node:child_process');
  execFileSync('tmux', ['-S', user, '-f', '/dev/null', 'new-session', '-d', '-s', 'user', 'sleep 300']);
  try {
    const fg = startForeground(p, [], { TMUX: `${user},1,0` });
    await fg.waitFor(/next beat in/);
    assert.equal(p.run(['start-session', 'asker', 'x', 'sh']).code, 0);
    p.run(['flag', 'asker', 'look']);
    const ts = p.tmux(['show-options', '-wqv', '-t', '=looop:=asker', '@looop_flag_ts']).trim();
    await until('popped once', () => p.tmux(['show-options', '-wqv', '-t', '=looop:=asker', '@looop_popped']).trim() === ts);
    fg.child.kill('SIGTERM');
    await fg.exited;
  } finally {
    spawnSync('tmux', ['-S', user, 'kill-server']);
  }
});
