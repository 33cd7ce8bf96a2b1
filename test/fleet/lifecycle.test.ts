// A worker's life as a window of the profile's tmux server, verb by verb.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { alive, fleetProfile, lsJson, transcript, unterm, until } from './fixture.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
before(() => {
  p = fleetProfile();
});
after(() => p.cleanup());

const worker = (id: string) => lsJson(p).find((w) => w.id === id);

test('start-session opens a window named by the id, cwd = data dir, env README lists, prompt = contract + brief', async () => {
  const r = p.run(['start-session', 'brief1', 'Fix the flaky test in repo X.', 'brief']);
  assert.equal(r.code, 0, r.stderr);
  const prompt = readFileSync(`${p.dataDir}/prompts/brief1.md`, 'utf8');
  assert.match(prompt, /looop worker/);
  assert.match(prompt, /"\$LOOOP_BIN" flag brief1/);
  assert.match(prompt, /claim <name>/);
  assert.match(prompt, /_cost session brief1 brief/);
  assert.ok(prompt.trimEnd().endsWith('Fix the flaky test in repo X.'));
  assert.equal(p.tmux(['display-message', '-p', '-t', '=looop:=brief1', '#{window_name} #{pane_current_path} #{window_width}x#{window_height}']).trim(), `brief1 ${p.dataDir} 200x50`);
  const env = p.tmux(['show-environment', '-t', 'looop']);
  assert.doesNotMatch(env, /LOOOP_DATA_DIR/, 'env goes per window (new-window -e), not into the session');
  await until('prompt in transcript', () => transcript(p, 'brief1').includes('Fix the flaky test'));
  const w = worker('brief1')!;
  assert.deepEqual(Object.keys(w).filter((k) => k !== 'said' && k !== 'git').sort(), ['age_s', 'alive', 'cwd', 'exit_code', 'flag', 'id', 'idle_s', 'pid', 'runner', 'since', 'source', 'state']);
  assert.ok(['starting', 'working', 'waiting'].includes(String(w.state)), String(w.state));
  assert.equal(w.alive, true);
  assert.equal(w.runner, 'brief');
  assert.equal(typeof w.pid, 'number');
});

test('workers get LOOOP_* env, LOOOP_SESSION_ID and credentials, but not the caller\'s shell variables', async () => {
  const r = p.run(['start-session', 'envcheck', 'x'], { env: { CLAUDECODE: '1', SECRET_OF_CALLER: 'leak', ANTHROPIC_API_KEY: 'sk-test', LOOOP_SESSION_ID: 'outer' } });
  assert.equal(r.code, 0, r.stderr);
  p.run(['send', 'envcheck', 'echo "S=$LOOOP_SESSION_ID D=$LOOOP_DATA_DIR C=${CLAUDECODE:-none} X=${SECRET_OF_CALLER:-none} K=$ANTHROPIC_API_KEY R=$LOOOP_REPORTS_DIR"']);
  assert.equal(p.run(['expect', 'envcheck', `^S=envcheck D=${p.dataDir} C=none X=none K=sk-test R=${p.dataDir}/reports`, '--timeout', '5']).code, 0);
});

test('expect finds text the worker printed within 1 ms of starting (transcript from the first byte)', () => {
  assert.equal(p.run(['start-session', 'early', 'x', 'early']).code, 0);
  const r = p.run(['expect', 'early', 'EARLY-BIRD-early', '--timeout', '5']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'EARLY-BIRD-early');
  assert.ok(unterm(transcript(p, 'early')).startsWith('EARLY-BIRD-early\n'), 'first byte of the transcript is the first byte printed');
  assert.doesNotMatch(p.run(['shot', 'early']).stdout, /EARLY-BIRD/, 'the screen itself was wiped');
});

test('expect times out with exit 124; --new ignores what is already there', () => {
  const r = p.run(['expect', 'early', 'never-printed', '--timeout', '0.3']);
  assert.equal(r.code, 124);
  assert.match(r.stderr, /timed out/);
  assert.equal(p.run(['expect', 'early', 'EARLY-BIRD', '--new', '--timeout', '0.3']).code, 124);
});

test('wait returns the worker\'s non-zero exit code; ls shows exited with the code', async () => {
  assert.equal(p.run(['start-session', 'failing', 'x', 'fail']).code, 0);
  const r = p.run(['wait', 'failing', '--json']);
  assert.equal(r.code, 3);
  assert.deepEqual(JSON.parse(r.stdout), { id: 'failing', state: 'exited', exit_code: 3 });
  const w = worker('failing')!;
  assert.equal(w.state, 'exited');
  assert.equal(w.alive, false);
  assert.equal(w.exit_code, 3);
  assert.equal(w.state, 'exited');
  assert.match(p.run(['ls']).stdout, /failing\s+exited\s+3/);
});

test('restart after exit runs the command again in the same window, transcript appended', () => {
  const windowBefore = p.tmux(['display-message', '-p', '-t', '=looop:=failing', '#{window_id}']).trim();
  assert.equal(p.run(['restart', 'failing']).code, 0);
  assert.equal(p.run(['wait', 'failing']).code, 3);
  assert.equal(p.tmux(['display-message', '-p', '-t', '=looop:=failing', '#{window_id}']).trim(), windowBefore);
  assert.equal(unterm(transcript(p, 'failing')), 'about to fail\nabout to fail\n');
});

test('an id that is alive is refused; a finished one is reaped first and its transcript rotated, never overwritten', () => {
  const live = p.run(['start-session', 'early', 'again', 'early']);
  assert.equal(live.code, 1);
  assert.match(live.stderr, /already running/);
  assert.equal(p.run(['start-session', 'failing', 'again', 'fail']).code, 0);
  p.run(['wait', 'failing']);
  const files = readdirSync(`${p.dataDir}/sessions/failing`).filter((f) => f.endsWith('.log')).sort();
  assert.equal(files.length, 2);
  assert.match(files[0]!, /^output\.\d{8}T\d{6}Z\.log$/);
  assert.equal(unterm(readFileSync(`${p.dataDir}/sessions/failing/${files[0]}`, 'utf8')), 'about to fail\nabout to fail\n');
  assert.equal(unterm(transcript(p, 'failing')), 'about to fail\n');
  assert.equal(lsJson(p).filter((w) => w.id === 'failing').length, 1);
});

test('kill stops the worker and everything it started; the window stays, marked killed', async () => {
  assert.equal(p.run(['start-session', 'victim', 'x']).code, 0);
  p.run(['send', 'victim', 'sleep 300 & echo child=$!']);
  const child = Number((await until('child pid', () => unterm(transcript(p, 'victim')).match(/^child=(\d+)/m)))[1]);
  const pid = worker('victim')!.pid as number;
  assert.equal(p.run(['kill', 'victim', 'no', 'longer', 'needed']).code, 0);
  for (const x of [pid, child]) assert.equal(alive(x), false, `pid ${x} is gone`);
  const w = worker('victim')!;
  assert.equal(w.state, 'killed');
  assert.equal(w.alive, false);
  assert.equal(w.state, 'killed');
  assert.equal(p.tmux(['show-options', '-wv', '-t', '=looop:=victim', '@looop_killed']).trim(), 'no longer needed');
  assert.ok(existsSync(`${p.dataDir}/sessions/victim/output.log`));
});

test('max_workers refuses a new worker with a clear reason', () => {
  p.writeConfig({ default: 'sh', runners: { sh: { tick: 'true', interactive: 'sleep 60' } }, max_workers: 3 });
  const alive = lsJson(p).filter((w) => w.alive).length;
  for (let i = alive; i < 3; i++) assert.equal(p.run(['start-session', `filler${i}`, 'x']).code, 0);
  const r = p.run(['start-session', 'one-too-many', 'x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /max_workers reached: 3 of 3/);
});

test('shot, resize, wait-idle, log --tail/--grep/--json', () => {
  const shot = JSON.parse(p.run(['shot', 'early', '--json']).stdout);
  assert.equal(shot.cols, 200);
  assert.equal(shot.rows, 50);
  assert.equal(shot.lines.length, 50);
  assert.equal(p.run(['resize', 'early', '120x40']).code, 0);
  assert.equal(JSON.parse(p.run(['shot', 'early', '--json']).stdout).cols, 120);
  assert.equal(p.run(['resize', 'early', 'big']).code, 1);
  assert.equal(p.run(['wait-idle', 'early', '--quiet', '0.3', '--timeout', '5']).code, 0);
  assert.equal(p.run(['log', 'failing']).stdout, 'about to fail\n');
  assert.equal(p.run(['log', 'brief1', '--grep', 'BRIEF', '--tail', '1']).stdout, '# BRIEF\n');
  const lines = p.run(['log', 'failing', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [{ id: 'failing', n: 1, line: 'about to fail' }]);
  assert.equal(p.run(['log', 'nobody']).code, 1);
});

test('prune removes finished windows now and keeps their transcripts', () => {
  const r = p.run(['prune', '--json']);
  assert.equal(r.code, 0);
  const pruned = JSON.parse(r.stdout).pruned as string[];
  assert.ok(pruned.includes('victim') && pruned.includes('failing'));
  assert.equal(worker('victim'), undefined);
  assert.ok(existsSync(`${p.dataDir}/sessions/victim/output.log`));
  assert.ok(worker('early'), 'live workers stay');
});

test('verbs aimed at pulse or a missing id: one clear line, exit 1', () => {
  for (const verb of [['restart'], ['kill'], ['wait'], ['resize', undefined, '80x24'], ['flag'], ['unflag'], ['start-session', undefined, 'x'], ['shot'], ['expect', undefined, 'x']]) {
    for (const id of ['pulse', 'ghost']) {
      // Starting "ghost" would succeed (and the next verbs would find it).
      if (verb[0] === 'start-session' && id === 'ghost') continue;
      const args = [verb[0]!, id, ...verb.slice(2).filter((x): x is string => Boolean(x))];
      const r = p.run(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, id === 'pulse' ? /pulse/ : /ghost/, args.join(' '));
    }
  }
});
