// Worker verbs on a worker on another host: restart, resume (also --lost), log --follow, watch, diff, wait,
// wait-idle and expect's transcript. A real sshd on 127.0.0.1 plays host "loop1", with its own HOME.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fleetProfile, lsJson, RUNNERS, until } from '../fleet/fixture.ts';
import { BIN, cleanEnv, type Profile } from '../helpers/profile.ts';
import { hostFor, sshdMissing, type Sshd } from '../helpers/sshd.ts';
import { scriptedRunner } from '../helpers/runner.ts';

const missing = sshdMissing();
let p: Profile;
let sshd: Sshd;

// Says which conversation it is in, then stays a shell to type into.
// Not exec'd: the start wrapper's bash stays to record the exit status (tmux loses a dead pane's now and then).
const SHELL = 'bash --norc --noprofile -i';
const resumable = { tick: 'true', interactive: `echo "FIRST-{{session_id}}"; ${SHELL}`, resume: `echo "RESUMED-{{session_id}}"; ${SHELL}` };

before(async () => {
  if (missing) return;
  p = fleetProfile();
  sshd = await hostFor(p);
  p.writeConfig({ default: 'sh', runners: { ...RUNNERS, resumable }, hosts: sshd.hosts });
});

after(() => {
  if (missing) return;
  sshd.teardown(p.dataDir);
  p.cleanup();
});

const skip = missing ? `needs a local sshd: ${missing}` : false;

const record = (id: string) => JSON.parse(readFileSync(join(p.dataDir, 'sessions', id, 'worker.json'), 'utf8'));

function ok(args: string[]): string {
  const r = p.run(args);
  assert.equal(r.code, 0, `looop ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A looop verb running in the background, its output read as it comes. */
function background(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: p.env, cwd: p.root });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<number>((res) => child.on('close', (code, signal) => res(code ?? (signal ? 128 : 1))));
  return { child, done, out: () => out, err: () => err };
}

/** ssh clients of this test still running, the shared connection's master aside. */
const sshClients = () =>
  spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.includes(sshd.clientConfig) && /\bssh\b/.test(l) && !l.includes('[mux]') && !l.includes(' -O '));

test('restart and resume a worker on host loop1: same window there, the right conversation, transcript appended', { skip }, async () => {
  ok(['start-session', 'rv', 'resumable shell', 'resumable', '--host', 'loop1']);
  const first = record('rv').session_id as string;
  ok(['expect', 'rv', `FIRST-${first}`, '--timeout', '30']);
  let r = p.run(['resume', 'rv']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /"rv" is running; nothing to resume/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

  // wait: the remote worker's own exit code.
  ok(['send', 'rv', 'exit 7']);
  r = p.run(['wait', 'rv', '--timeout', '30', '--json']);
  assert.equal(r.code, 7, r.stderr);
  assert.equal(JSON.parse(r.stdout).exit_code, 7);

  ok(['resume', 'rv']);
  ok(['expect', 'rv', `RESUMED-${first}`, '--timeout', '30']);
  await until('rv running again on loop1', () => {
    const w = lsJson(p).find((x) => x.id === 'rv');
    return w?.alive === true && w.host === 'loop1';
  });
  assert.equal(record('rv').live, true);
  assert.equal(sshd.remoteSockets().length, 1, 'still the one server on the host');

  // looop's helper and conf cleaned away on the host: a restart puts them back.
  const folder = dirname(sshd.remoteSockets()[0]!);
  rmSync(join(folder, 'bin', 'looop'));
  rmSync(join(folder, 'tmux.conf'));
  ok(['restart', 'rv']);
  assert.ok(existsSync(join(folder, 'bin', 'looop')) && existsSync(join(folder, 'tmux.conf')), "looop's files are back on the host");
  const second = record('rv').session_id as string;
  assert.notEqual(second, first, 'a restart is a new conversation');
  ok(['expect', 'rv', `FIRST-${second}`, '--timeout', '30']);
  // expect reads the output of the current run only (the host's transcript from where this run began).
  r = p.run(['expect', 'rv', `RESUMED-${first}`, '--timeout', '3']);
  assert.equal(r.code, 124, 'output of an earlier run does not count');
  const log = ok(['log', 'rv']);
  assert.match(log, new RegExp(`FIRST-${first}[\\s\\S]*RESUMED-${first}[\\s\\S]*FIRST-${second}`));
  ok(['kill', 'rv']);
  // A new worker by the same id appends to the same transcript there; only its own output counts.
  await until('rv started again', () => p.run(['start-session', 'rv', 'a plain shell', 'sh', '--host', 'loop1']).code === 0);
  r = p.run(['expect', 'rv', 'FIRST-', '--timeout', '3']);
  assert.equal(r.code, 124, "an earlier worker's output does not count");
  ok(['kill', 'rv']);
});

test('resume --lost brings back a worker whose server on the host died; an unreachable host refuses with one line and forgets nothing', { skip }, async () => {
  ok(['start-session', 'lw', 'resumable shell', 'resumable', '--host', 'loop1']);
  const conv = record('lw').session_id as string;
  ok(['expect', 'lw', `FIRST-${conv}`, '--timeout', '30']);
  for (const s of sshd.remoteSockets()) spawnSync('tmux', ['-S', s, 'kill-server'], { env: cleanEnv() });
  await until('lw lost', () => lsJson(p).find((w) => w.id === 'lw')?.state === 'lost');
  const r = p.run(['resume', '--lost', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).resumed, ['lw']);
  ok(['expect', 'lw', `RESUMED-${conv}`, '--timeout', '30']);

  sshd.stop();
  try {
    await until('lw unknown', () => lsJson(p).find((w) => w.id === 'lw')?.state === 'unknown');
    for (const verb of ['restart', 'resume']) {
      const x = p.run([verb, 'lw']);
      assert.notEqual(x.code, 0, verb);
      assert.match(x.stderr, /host loop1 does not answer; "lw" cannot be (restarted|resumed) until it does/);
      assert.equal(x.stderr.trim().split('\n').length, 1, x.stderr);
    }
    // Not lost while its host is away: resume --lost leaves it alone.
    const lost = p.run(['resume', '--lost', '--json']);
    assert.equal(lost.code, 0, lost.stderr);
    assert.deepEqual(JSON.parse(lost.stdout), { resumed: [], failed: [] });
    assert.equal(record('lw').live, true, 'the worker is not forgotten');
    for (const verb of [['shot'], ['wait', '--timeout', '1'], ['send', 'x']]) {
      const x = p.run([verb[0]!, 'lw', ...verb.slice(1)]);
      assert.notEqual(x.code, 0, verb[0]);
      assert.match(x.stderr, /no worker "lw" here, and host loop1 did not answer/, verb[0]);
    }
    const d = p.run(['diff', 'lw']);
    assert.notEqual(d.code, 0);
    assert.match(d.stderr, /host loop1 does not answer/);
  } finally {
    await sshd.start();
  }
  await until('lw back', () => lsJson(p).find((w) => w.id === 'lw')?.alive === true, 30_000);
  ok(['kill', 'lw']);
});

test('log --follow and watch read the transcript on the host live, end with the worker, and leave no ssh behind', { skip }, async () => {
  ok(['start-session', 'lf', 'a shell', 'sh', '--host', 'loop1']);
  ok(['send', 'lf', 'echo BEFORE-$((40+1))']);
  ok(['expect', 'lf', 'BEFORE-41', '--timeout', '30']);
  const f = background(['log', 'lf', '--follow']);
  const w = background(['watch', 'lf']);
  await until('log shows the earlier output', () => /BEFORE-41/.test(f.out()));
  ok(['send', 'lf', 'echo AFTER-$((40+2))']);
  await until('log follows new output', () => /AFTER-42/.test(f.out()));
  await until('watch follows new output', () => /AFTER-42/.test(w.out()));
  ok(['send', 'lf', 'exit 0']);
  assert.equal(await f.done, 0, f.err());
  assert.equal(await w.done, 0, w.err());

  // Ctrl-C ends a follow of a live worker; nothing of it stays running.
  ok(['start-session', 'lf2', 'a shell', 'sh', '--host', 'loop1']);
  const g = background(['log', 'lf2', '--follow']);
  ok(['send', 'lf2', 'echo LIVE-$((1+2))']);
  await until('follow running', () => /LIVE-3/.test(g.out()));
  g.child.kill('SIGINT');
  assert.equal(await g.done, 0, g.err());
  await until('no ssh client left', () => sshClients().length === 0, 10_000);
  ok(['kill', 'lf2']);
});

test('wait-idle waits for quiet in the host transcript; expect finds output the screen no longer shows', { skip }, async () => {
  ok(['start-session', 'wi', 'a shell', 'sh', '--host', 'loop1']);
  ok(['send', 'wi', 'for i in 1 2 3 4 5 6; do echo TICK-$i; sleep 1; done; echo TICKS-DONE']);
  ok(['wait-idle', 'wi', '--quiet', '3', '--timeout', '60']);
  assert.match(ok(['shot', 'wi']), /TICKS-DONE/, 'not idle while it was still printing');
  ok(['kill', 'wi']);

  ok(['start-session', 'eb', 'prints then clears', 'early', '--host', 'loop1']);
  const r = p.run(['expect', 'eb', 'EARLY-BIRD-eb', '--timeout', '30', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).where, 'output');
  ok(['kill', 'eb']);
});

test('diff runs git on the host, read-only, with nothing from the repository config run', { skip }, () => {
  const repo = join(sshd.home, 'repo');
  const marker = join(sshd.home, 'PWNED');
  mkdirSync(repo, { recursive: true });
  const git = (...a: string[]) => spawnSync('git', ['-C', repo, ...a], { encoding: 'utf8', env: { ...cleanEnv(), HOME: sshd.home } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.invalid');
  git('config', 'user.name', 't');
  writeFileSync(join(repo, 'a.txt'), 'one\n');
  git('add', 'a.txt');
  git('commit', '-q', '-m', 'one');
  // What a worker could plant in its repository to run a program when someone reads it.
  const evil = `sh -c 'touch ${marker}'`;
  git('config', 'core.pager', evil);
  git('config', 'diff.external', evil);
  git('config', 'diff.evil.textconv', evil);
  git('config', 'core.fsmonitor', evil);
  writeFileSync(join(repo, '.gitattributes'), '* diff=evil\n');
  writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n');

  ok(['start-session', 'gd', 'a shell in a repo', 'sh', '--host', 'loop1', '--cwd', repo]);
  const out = ok(['diff', 'gd']);
  assert.match(out, /^\+two$/m);
  assert.match(ok(['diff', 'gd', '--stat']), /a\.txt \| 1 \+/);
  assert.equal(existsSync(marker), false, 'nothing from the repository config ran');

  ok(['start-session', 'nd', 'a shell outside git', 'sh', '--host', 'loop1', '--cwd', '/']);
  const r = p.run(['diff', 'nd']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /"nd" works in \/ on host loop1, which is not inside a git work tree/);
  ok(['kill', 'gd']);
  ok(['kill', 'nd']);
});

test("the decider's resume_worker brings back a lost worker on host loop1", { skip }, async () => {
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  // The scripted decider's config, with this file's runners and host kept.
  const runner = scriptedRunner(p);
  const scripted = JSON.parse(readFileSync(p.configPath, 'utf8')).runners.scripted;
  p.writeConfig({ ...cfg, default: 'scripted', runners: { ...cfg.runners, scripted } });
  runner.queue({ action: 'start_worker', id: 'dw', prompt: 'x', runner: 'resumable', host: 'loop1' }, { action: 'resume_worker', id: 'dw' });
  assert.equal(p.run(['tick']).code, 0);
  const conv = record('dw').session_id as string;
  assert.equal(record('dw').host, 'loop1');
  ok(['expect', 'dw', `FIRST-${conv}`, '--timeout', '30']);
  for (const s of sshd.remoteSockets()) spawnSync('tmux', ['-S', s, 'kill-server'], { env: cleanEnv() });
  await until('dw lost', () => lsJson(p).find((w) => w.id === 'dw')?.state === 'lost');
  const r = p.run(['tick']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(runner.prompts().at(-1)!, /"id":\s*"dw",\s*"state":\s*"lost"/);
  ok(['expect', 'dw', `RESUMED-${conv}`, '--timeout', '30']);
  assert.equal(lsJson(p).find((w) => w.id === 'dw')?.host, 'loop1');
  ok(['kill', 'dw']);
});
