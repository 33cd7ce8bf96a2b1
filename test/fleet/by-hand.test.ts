// Manual moves (a person at the CLI, not a beat, not a worker) are journaled as `by hand: …` and
// committed, so journal.md and `git log` tell the whole story.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fleetProfile, transcript, until } from './fixture.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
before(() => {
  p = fleetProfile();
  // Seeding makes the data dir the loop's git memory.
  assert.equal(p.run(['tick', '--dry-run']).code, 0);
});
after(() => p.cleanup());

const journal = () => (existsSync(`${p.dataDir}/journal.md`) ? readFileSync(`${p.dataDir}/journal.md`, 'utf8').split('\n').filter(Boolean) : []);
const gitLog = () => spawnSync('git', ['-C', p.dataDir, 'log', '--format=%s'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

test('start-session, send, key, flag, unflag, claim and kill by hand each journal one line and commit it', async () => {
  const steps: Array<[string[], RegExp]> = [
    [['start-session', 'w1', 'do the thing'], /by hand: started worker w1 \(sh\)$/],
    [['send', 'w1', 'echo hello'], /by hand: sent to w1: echo hello$/],
    [['key', 'w1', 'Enter'], /by hand: pressed keys in w1: Enter$/],
    [['flag', 'w1', 'which branch?'], /by hand: flagged w1: which branch\?$/],
    [['unflag', 'w1'], /by hand: cleared the flag on w1$/],
    [['claim', 'build', '--session', 'w1'], /by hand: claimed build for session w1$/],
    [['kill', 'w1', 'done'], /by hand: killed worker w1: done$/],
  ];
  for (const [args, line] of steps) {
    const before = journal().length;
    const r = p.run(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    if (args[0] === 'start-session') await until('the worker shell', () => transcript(p, 'w1').length > 0);
    const added = journal().slice(before);
    assert.equal(added.length, 1, `${args[0]}: one journal line, got ${JSON.stringify(added)}`);
    assert.match(added[0]!, line);
    assert.equal(gitLog()[0], added[0]!.slice(19), `${args[0]} is committed with its journal line`);
  }
});

test('a worker\'s own moves (LOOOP_SESSION_ID set) are not journaled as the person\'s', () => {
  const before = journal().length;
  p.run(['flag', 'w1', 'x'], { env: { LOOOP_SESSION_ID: 'w1' } });
  p.run(['claim', 'other'], { env: { LOOOP_SESSION_ID: 'w1' } });
  assert.equal(journal().length, before);
});
