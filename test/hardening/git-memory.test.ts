// The data dir's git history stays an honest audit trail: no shell (~/.bashrc) in the way, no commit
// during the person's merge or on a detached HEAD, no looop scratch, huge or hard-linked files, and the
// person's own edits in their own commit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

const p = makeProfile('looop-git');
after(() => p.cleanup());
const r = scriptedRunner(p);
const git = (...args: string[]) => execFileSync('git', ['-C', p.dataDir, ...args], { encoding: 'utf8', env: { ...p.env, GIT_CONFIG_NOSYSTEM: '1' } });
let n = 0;
/** One beat that writes a goal (a new sensor value every beat, so it always decides). */
function actBeat(env: NodeJS.ProcessEnv = {}): string {
  r.queue({ action: 'write_goal', id: `g${++n}`, body: `goal ${n}`, journal: `wrote goal g${n}` });
  rmSync(join(p.dataDir, '.tick-backoff'), { force: true });
  const t = p.run(['tick'], { env });
  assert.equal(t.code, 0, t.stderr);
  return t.stdout + t.stderr;
}

test('a ~/.bashrc that prints does not run or break commits; looop scratch is never committed', () => {
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\nprintf \'{"signal":{"n":"%s"}}\\n\' "$(date +%s%N)"\n', 0o755);
  writeFileSync(join(p.home, '.bashrc'), `echo "Welcome back"; cat /proc/$PPID/cmdline | tr "\\0" " " >> ${join(p.root, "bashrc-ran")}; echo " :: $0 $$" >> ${join(p.root, "bashrc-ran")}\n`);
  writeFileSync(join(p.dataDir, '.cron.log'), 'cron output\n');
  const out = actBeat({ SHLVL: '' });
  assert.ok(!/git commit failed/.test(out), out);
  assert.equal(existsSync(join(p.root, 'bashrc-ran')), false, '~/.bashrc ran: ' + (existsSync(join(p.root, 'bashrc-ran')) ? readFileSync(join(p.root, 'bashrc-ran'), 'utf8') : ''));
  assert.match(git('log', '-1', '--format=%s %an'), /wrote goal g1 looop/);
  const tracked = git('ls-files');
  assert.ok(!/\.cron\.log|^runs\/|^sessions\/|\.last-/m.test(tracked), tracked);
});

test('edits made by hand get their own "human edits" commit before the action', () => {
  p.writeFile('PLAYBOOK.md', 'edited by hand\n');
  actBeat();
  const log = git('log', '-2', '--format=%s').trim().split('\n');
  assert.equal(log[0], `wrote goal g${n}`);
  assert.match(log[1]!, /^human edits/);
  assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [`goals/g${n}.md`, 'journal.md']);
  assert.match(git('show', '--name-only', '--format=', 'HEAD~1'), /PLAYBOOK\.md/);
});

test('a deleted .gitignore is restored and scratch still stays out; huge and hard-linked files are not committed', () => {
  rmSync(join(p.dataDir, '.gitignore'));
  mkdirSync(join(p.dataDir, 'reports'), { recursive: true });
  writeFileSync(join(p.dataDir, 'reports', 'big.bin'), Buffer.alloc(6 * 1024 * 1024, 1));
  writeFileSync(join(p.root, 'secret.txt'), 'TOP-SECRET\n', { mode: 0o600 });
  linkSync(join(p.root, 'secret.txt'), join(p.dataDir, 'goals', 'leak.md'));
  const out = actBeat();
  assert.match(out, /not committed.*reports\/big\.bin/);
  assert.match(out, /goals\/leak\.md \(hard-linked\)/);
  const tracked = git('ls-files');
  assert.ok(!tracked.includes('reports/big.bin') && !tracked.includes('goals/leak.md'), tracked);
  assert.ok(!/^runs\/|\.last-/m.test(tracked), tracked);
  assert.ok(existsSync(join(p.dataDir, '.gitignore')));
  rmSync(join(p.dataDir, 'reports', 'big.bin'));
  rmSync(join(p.dataDir, 'goals', 'leak.md'));
});

test('during a conflicted merge or on a detached HEAD the beat acts but does not commit, and says why', () => {
  const head = git('rev-parse', 'HEAD').trim();
  const branch = git('symbolic-ref', '--short', 'HEAD').trim();
  git('checkout', '-q', '-b', 'side');
  writeFileSync(join(p.dataDir, 'PLAYBOOK.md'), 'side version\n');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'side edit');
  git('checkout', '-q', branch);
  writeFileSync(join(p.dataDir, 'PLAYBOOK.md'), 'main version\n');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'main edit');
  try {
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'merge', 'side');
  } catch {
    // conflict expected
  }
  const before = git('rev-parse', 'HEAD').trim();
  const out = actBeat();
  assert.match(out, /not committing: a merge is in progress/);
  assert.equal(git('rev-parse', 'HEAD').trim(), before);
  assert.ok(existsSync(join(p.dataDir, '.git', 'MERGE_HEAD')), 'the merge is still the person\'s to finish');
  assert.match(p.run(['status']).stdout, /git\s+a merge is in progress/);
  git('merge', '--abort');
  git('checkout', '-q', '--detach', head);
  const out2 = actBeat();
  assert.match(out2, /HEAD is detached/);
  git('checkout', '-q', '-f', branch);
});

test('a removed .git is re-created with a warning', () => {
  rmSync(join(p.dataDir, '.git'), { recursive: true, force: true });
  const out = actBeat();
  assert.match(out, /\.git was missing: re-created it/);
  assert.match(git('log', '-1', '--format=%s'), new RegExp(`wrote goal g${n}`));
});

test("a data dir laid out before its first beat (the demo's) gets its memory then, with no 'missing' warning", () => {
  const q = makeProfile('looop-git-prelaid');
  try {
    const d = scriptedRunner(q);
    q.writeFile('PLAYBOOK.md', '# laid out by hand\n');
    q.writeFile('sensors/s.sh', '#!/bin/sh\necho \'{"signal":{"a":1}}\'\n', 0o755);
    d.queue({ action: 'write_goal', id: 'first', body: 'first goal', journal: 'wrote goal first' });
    const t = q.run(['tick']);
    assert.equal(t.code, 0, t.stderr);
    assert.doesNotMatch(t.stdout + t.stderr, /was missing/);
    assert.match(execFileSync('git', ['-C', q.dataDir, 'log', '-1', '--format=%s'], { encoding: 'utf8', env: q.env }), /wrote goal first/);
  } finally {
    q.cleanup();
  }
});
