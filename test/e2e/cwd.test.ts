// Where a worker works: started with --cwd in a git repo, the real pi edits a tracked file; `ls --json`
// shows its directory, branch and diffstat, and `looop diff` prints the change. A bad --cwd is one line.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { missing } from '../fake-llm/clis.ts';
import { e2eProfile, type E2E } from './harness.ts';

const T = { timeout: 120_000 };

describe('pi worker with --cwd in a git repo', { skip: missing('pi') }, () => {
  let e: E2E;
  let repo: string;
  before(async () => {
    e = await e2eProfile('pi');
    repo = join(e.p.root, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
    git('init', '-q', '-b', 'feature-x');
    writeFileSync(join(repo, 'notes.txt'), 'one\n');
    git('add', '.');
    git('commit', '-qm', 'init');
  });
  after(async () => e?.close());

  it('a bad --cwd is refused with one clear line', () => {
    for (const [dir, why] of [['missing-dir', /no such directory/], [join(repo, 'notes.txt'), /not a directory/]] as const) {
      const r = e.p.run(['start-session', 'bad', 'x', '--cwd', dir], { env: e.env });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('shows branch and diffstat after the worker edits a file; diff prints the change', T, async () => {
    e.api.queue({ text: 'Editing.', tools: [{ name: 'write', input: { path: 'notes.txt', content: 'one\ntwo\nthree\n' } }] }, { text: 'Edited the notes.' });
    const started = await e.p.runAsync(['start-session', 'w', 'Add two lines to notes.txt.', '--cwd', repo], { env: e.env });
    assert.equal(started.code, 0, started.stderr);
    const seen = await e.p.runAsync(['expect', 'w', 'Edited the notes', '--timeout', '60'], { env: e.env });
    assert.equal(seen.code, 0, `${seen.stderr}\n${e.p.run(['shot', 'w'], { env: e.env }).stdout}`);
    const w = JSON.parse(e.p.run(['ls', '--json'], { env: e.env }).stdout).find((x: any) => x.id === 'w');
    assert.equal(w.cwd, repo);
    assert.deepEqual(w.git, { branch: 'feature-x', files: 1, insertions: 2, deletions: 0 });
    assert.match(e.p.run(['ls'], { env: e.env }).stdout, /repo \(feature-x \+2 -0, 1 file\)/);
    const diff = e.p.run(['diff', 'w'], { env: e.env });
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^\+two$/m);
    assert.match(diff.stdout, /^\+three$/m);
    assert.match(e.p.run(['diff', 'w', '--stat'], { env: e.env }).stdout, /notes\.txt \| 2 \+\+/);
  });
});
