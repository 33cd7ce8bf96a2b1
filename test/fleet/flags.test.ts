// A flag lives in the @looop_flag window option, rings the bell, shows on the status line,
// reaches ls --json and the tick prompt, and unflag clears it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fleetProfile, lsJson, until } from './fixture.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
before(() => {
  p = fleetProfile();
  assert.equal(p.run(['start-session', 'first', 'x']).code, 0);
  assert.equal(p.run(['start-session', 'asker', 'x']).code, 0);
});
after(() => p.cleanup());

const flagOf = (id: string) => lsJson(p).find((w) => w.id === id)?.flag;
const option = (id: string, name: string) => p.tmux(['show-options', '-wqv', '-t', `=looop:=${id}`, name]).trim();

test('flag <id> <note> sets the window option, shows in ls --json and ls, rings the bell', () => {
  const r = p.run(['flag', 'asker', 'merge', 'PR #12?']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /⚑ asker: merge PR #12\?/);
  assert.equal(option('asker', '@looop_flag'), '⚑ merge PR #12?');
  const w = lsJson(p).find((x) => x.id === 'asker')!;
  assert.equal(w.flag, 'merge PR #12?');
  assert.equal(w.state, 'flagged');
  assert.match(p.run(['ls']).stdout, /asker\s+flagged\s.*⚑ merge PR #12\?/);
  assert.equal(p.tmux(['display-message', '-p', '-t', '=looop:=asker', '#{window_bell_flag}']).trim(), '1');
});

test('the shipped status line shows the flagged window with ⚑ and its note', () => {
  const right = p.tmux(['show-options', '-gv', 'status-right']).trim();
  assert.match(p.tmux(['display-message', '-p', '-t', '=looop:=asker', right]), /asker ⚑ merge PR #12\?/);
  const fmt = p.tmux(['show-options', '-gwv', 'window-status-format']).trim();
  assert.match(p.tmux(['display-message', '-p', '-t', '=looop:=asker', fmt]), /asker.*⚑/);
  assert.doesNotMatch(p.tmux(['display-message', '-p', '-t', '=looop:=first', fmt]), /⚑/);
});

test('the flag note reaches the tick prompt through the sys-sessions reading', () => {
  const runner = scriptedRunner(p);
  runner.queue({ action: 'noop', reason: 'relaying later' });
  const r = p.run(['tick']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(runner.calls() >= 1, `decider was called: ${r.stderr}`);
  assert.match(runner.prompts()[0]!, /merge PR #12\?/);
});

test('unflag clears the option and the note', () => {
  const r = p.run(['unflag', 'asker', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { id: 'asker', flag: null });
  assert.equal(option('asker', '@looop_flag'), '');
  assert.equal(flagOf('asker'), null);
});

test('inside a worker, flag and unflag without an id act on $LOOOP_SESSION_ID', async () => {
  assert.equal(p.run(['send', 'first', '"$LOOOP_BIN" flag']).code, 0);
  await until('self flag', () => flagOf('first') === '');
  assert.equal(option('first', '@looop_flag'), '⚑');
  assert.equal(p.run(['send', 'first', '"$LOOOP_BIN" unflag']).code, 0);
  await until('self unflag', () => flagOf('first') === null);
  const outside = p.run(['flag']);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /needs a worker id/);
});

test('a note is kept to one line of plain text', () => {
  assert.equal(p.run(['flag', 'asker', 'line one\nline\ttwo\x1b[31m']).code, 0);
  assert.equal(flagOf('asker'), 'line one line two [31m');
  p.run(['unflag', 'asker']);
});
