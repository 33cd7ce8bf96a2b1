// One private tmux server per profile; a dead server is an empty fleet, any other tmux
// failure is an error; tmux missing or too old is one clear line; nobody else's server is touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, type Profile } from '../helpers/profile.ts';
import { socketPathFor } from '../../src/paths.ts';
import { fleetProfile, lsJson } from './fixture.ts';

const profiles: Profile[] = [];
const profile = (extra?: Record<string, unknown>) => {
  const p = fleetProfile(extra);
  profiles.push(p);
  return p;
};
after(() => profiles.forEach((p) => p.cleanup()));

test('a killed tmux server under 5 workers: no live workers, each listed as lost; the next start makes a new server', () => {
  const p = profile();
  for (let i = 0; i < 5; i++) assert.equal(p.run(['start-session', `w${i}`, 'x']).code, 0);
  assert.equal(lsJson(p).length, 5);
  const claim = p.writeFile('claims/repo-x.json', JSON.stringify({ session: 'w1', name: 'repo-x', ts: new Date().toISOString() }));
  p.tmux(['kill-server']);
  const r = p.run(['ls']);
  assert.equal(r.code, 0, r.stderr);
  // looop's records say they were live and tmux has no window: lost (resumable), never running.
  assert.deepEqual(lsJson(p).map((w) => [w.id, w.state, w.alive]), [0, 1, 2, 3, 4].map((i) => [`w${i}`, 'lost', false]));
  // The next beat sees no live session holding the lease and reaps it.
  p.writeConfig({ default: 'sh', runners: { sh: { tick: 'true', interactive: 'bash --norc --noprofile -i' } } });
  p.run(['tick']);
  assert.equal(existsSync(claim), false, 'the dead worker\'s claim was reaped');
  assert.equal(p.run(['start-session', 'w1', 'again']).code, 0);
  assert.deepEqual(lsJson(p).filter((w) => w.state !== 'lost').map((w) => w.id), ['w1']);
});

test('any tmux error other than "no server" is an error, never an empty fleet', () => {
  const p = profile();
  assert.equal(p.run(['start-session', 'w', 'x']).code, 0);
  const bin = join(p.root, 'fakebin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tmux'), '#!/bin/sh\necho "protocol version mismatch (client 8, server 7)" >&2; exit 1\n');
  chmodSync(join(bin, 'tmux'), 0o755);
  const r = p.run(['ls', '--json'], { env: { PATH: bin } });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'looop: tmux: protocol version mismatch (client 8, server 7)\n');
  assert.equal(r.stdout, '');
});

test('two profiles side by side never see each other\'s windows', () => {
  const a = profile();
  const b = profile();
  assert.notEqual(a.socket, b.socket);
  assert.equal(a.run(['start-session', 'only-a', 'x']).code, 0);
  assert.equal(b.run(['start-session', 'only-b', 'x']).code, 0);
  assert.deepEqual(lsJson(a).map((w) => w.id), ['only-a']);
  assert.deepEqual(lsJson(b).map((w) => w.id), ['only-b']);
  assert.equal(b.run(['send', 'only-a', 'hi']).code, 1);
  assert.equal(b.run(['kill', 'only-a']).code, 1);
  assert.equal(lsJson(a)[0]!.alive, true);
});

test('the user\'s own tmux server (and $TMUX) is never touched', () => {
  const p = profile();
  const tmuxTmp = join(p.root, 'user-tmux');
  mkdirSync(tmuxTmp, { mode: 0o700 });
  const userEnv = cleanEnv({ TMUX_TMPDIR: tmuxTmp });
  execFileSync('tmux', ['-f', '/dev/null', 'new-session', '-d', '-s', 'mine', 'sleep 300'], { env: userEnv });
  try {
    const userDir = readdirSync(tmuxTmp)[0]!;
    const userSocket = join(tmuxTmp, userDir, 'default');
    const before = execFileSync('tmux', ['list-windows', '-a', '-F', '#{session_name}:#{window_name}'], { env: userEnv, encoding: 'utf8' });
    const env = { TMUX_TMPDIR: tmuxTmp, TMUX: `${userSocket},1,0`, TMUX_PANE: '%0' };
    for (const args of [['start-session', 'w', 'x'], ['ls'], ['send', 'w', 'echo hi'], ['flag', 'w', 'q'], ['unflag', 'w'], ['kill', 'w'], ['prune']]) {
      assert.equal(p.run(args, { env }).code, 0, `${args.join(' ')}`);
    }
    const afterList = execFileSync('tmux', ['list-windows', '-a', '-F', '#{session_name}:#{window_name}'], { env: userEnv, encoding: 'utf8' });
    assert.equal(afterList, before);
    assert.deepEqual(readdirSync(join(tmuxTmp, userDir)), ['default'], 'no other server was started there');
  } finally {
    spawnSync('tmux', ['kill-server'], { env: userEnv });
  }
});

test('tmux missing or older than 3.2: one line saying so and how to install it, exit 1', () => {
  const p = profile();
  const bin = join(p.root, 'fakebin');
  mkdirSync(bin);
  for (const tool of ['bash', 'sh', 'env', 'cat']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  const missing = p.run(['start-session', 'w', 'x'], { env: { PATH: bin } });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^looop: tmux is not installed; install tmux >= 3\.2 .*apt-get install tmux/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  // With a server socket present, listing needs tmux too: an error, not an empty fleet.
  assert.equal(p.run(['start-session', 'w', 'x']).code, 0);
  const ls = p.run(['ls'], { env: { PATH: bin } });
  assert.equal(ls.code, 1);
  assert.match(ls.stderr, /^looop: tmux is not installed/);
  writeFileSync(join(bin, 'tmux'), '#!/bin/sh\n[ "$1" = -V ] && { echo "tmux 3.1c"; exit 0; }\necho "no server running on /nowhere" >&2; exit 1\n');
  chmodSync(join(bin, 'tmux'), 0o755);
  p.tmux(['kill-server']);
  const old = p.run(['start-session', 'w2', 'x'], { env: { PATH: bin } });
  assert.equal(old.code, 1);
  assert.match(old.stderr, /^looop: tmux 3\.1c is too old: looop needs tmux >= 3\.2; install/);
});

test('a data dir too long for a Unix socket gets a private per-user socket folder (0700)', () => {
  const p = profile();
  const long = join(p.root, 'd'.repeat(60), 'e'.repeat(60));
  const socket = socketPathFor(long);
  assert.ok(Buffer.byteLength(socket) < 100);
  try {
    assert.equal(p.run(['start-session', 'w', 'x'], { env: { LOOOP_DATA_DIR: long } }).code, 0);
    assert.ok(existsSync(socket));
    assert.equal(statSync(join(socket, '..')).mode & 0o777, 0o700);
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-server'], { env: cleanEnv() });
  }
});
