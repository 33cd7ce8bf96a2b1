// Pure parts of workers that survive: the lost join, a fresh conversation on restart, the cwd rule,
// git's shortstat, and the WHERE cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lostWorkers, type WorkerRecord } from '../../src/fleet/record.ts';
import { freshConversation, workerCwd } from '../../src/fleet/resume.ts';
import { branchOf, findGitDir, parseShortstat } from '../../src/fleet/where.ts';
import { whereCell } from '../../src/fleet/format.ts';
import { BUILTIN_RUNNERS, expandTemplate, permissionMode } from '../../src/runners.ts';

const rec = (id: string, live: boolean, extra: Partial<WorkerRecord> = {}): WorkerRecord => ({
  id, runner: 'claude', cli: 'claude', command: 'c', cwd: '/d', prompt_file: '/p', started_at: 1, live, ...extra,
});

test('lost: records that say live with no window; killed ones and ones with a window are not', () => {
  const lost = lostWorkers([rec('a', true), rec('b', true), rec('c', false)], [{ id: 'b' }]);
  assert.deepEqual(lost.map((r) => r.id), ['a']);
});

test('restart swaps the conversation id everywhere (pi keeps it in the session file name)', () => {
  const old = '11111111-1111-1111-1111-111111111111';
  const r = rec('w', true, { command: `pi --session /s/w/pi-${old}.jsonl`, resume: `pi --session /s/w/pi-${old}.jsonl`, session_id: old, session_file: `/s/w/pi-${old}.jsonl` });
  const f = freshConversation(r, 'NEW');
  assert.equal(f.command, 'pi --session /s/w/pi-NEW.jsonl');
  assert.equal(f.resume, 'pi --session /s/w/pi-NEW.jsonl');
  assert.equal(f.session_file, '/s/w/pi-NEW.jsonl');
  assert.equal(f.session_id, 'NEW');
  assert.equal(freshConversation(rec('x', true, { command: 'sh' }), 'NEW').command, 'sh');
});

test('the built-in worker templates: fixed ids, resume by id, brief read from a file, acceptEdits unless bypass', () => {
  const vars = { prompt_file: '/d/prompts/w.md', session_id: 'U', session_file: '/d/sessions/w/pi-U.jsonl', permission_mode: permissionMode(undefined) };
  const c = BUILTIN_RUNNERS.claude!;
  assert.match(expandTemplate(c.interactive!, vars), /--permission-mode acceptEdits .*--session-id U --append-system-prompt-file \/d\/prompts\/w\.md /);
  assert.match(expandTemplate(c.resume!, vars), /--resume U /);
  assert.doesNotMatch(c.interactive! + c.resume!, /--continue|dangerously|\$\(cat/);
  assert.equal(permissionMode('bypass'), 'bypassPermissions');
  const p = BUILTIN_RUNNERS.pi!;
  assert.match(expandTemplate(p.interactive!, vars), /^pi (-e \S+ )?--session \/d\/sessions\/w\/pi-U\.jsonl --append-system-prompt \/d\/prompts\/w\.md /);
  assert.match(expandTemplate(p.resume!, vars), /^pi (-e \S+ )?--session \/d\/sessions\/w\/pi-U\.jsonl --append-system-prompt \/d\/prompts\/w\.md$/);
});

test('cwd: relative to the data dir, must be an existing directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'looop-cwd-'));
  try {
    mkdirSync(join(root, 'repo'));
    writeFileSync(join(root, 'file'), '');
    assert.equal(workerCwd(root, undefined), root);
    assert.equal(workerCwd(root, 'repo'), join(root, 'repo'));
    assert.throws(() => workerCwd(root, 'nope'), /cwd "nope": no such directory/);
    assert.throws(() => workerCwd(root, 'file'), /cwd "file": not a directory/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('git: the git dir of a worktree is followed, the branch read from HEAD', () => {
  const root = mkdtempSync(join(tmpdir(), 'looop-git-'));
  try {
    mkdirSync(join(root, 'main', '.git', 'worktrees', 'wt'), { recursive: true });
    writeFileSync(join(root, 'main', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(root, 'main', '.git', 'worktrees', 'wt', 'HEAD'), 'ref: refs/heads/fix/ci\n');
    mkdirSync(join(root, 'wt', 'src'), { recursive: true });
    writeFileSync(join(root, 'wt', '.git'), `gitdir: ${join(root, 'main', '.git', 'worktrees', 'wt')}\n`);
    assert.equal(branchOf(findGitDir(join(root, 'wt', 'src'))!), 'fix/ci');
    assert.equal(branchOf(findGitDir(join(root, 'main'))!), 'main');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('shortstat and the WHERE cell', () => {
  assert.deepEqual(parseShortstat(' 2 files changed, 5 insertions(+), 1 deletion(-)\n'), { files: 2, insertions: 5, deletions: 1 });
  assert.deepEqual(parseShortstat(' 1 file changed, 1 deletion(-)\n'), { files: 1, insertions: 0, deletions: 1 });
  assert.deepEqual(parseShortstat(''), { files: 0, insertions: 0, deletions: 0 });
  const w = { id: 'w', state: 'working', source: 'tmux', alive: true, exit_code: null, flag: null, age_s: 0, idle_s: 0, pid: 1 } as const;
  assert.equal(whereCell({ ...w }), '-');
  assert.equal(whereCell({ ...w, cwd: '/h/src/app' }, '/h'), '~/src/app');
  assert.equal(whereCell({ ...w, cwd: '/r', git: { branch: 'x', files: 2, insertions: 3, deletions: 1 } }, '/h'), '/r (x +3 -1, 2 files)');
  assert.equal(whereCell({ ...w, cwd: '/r\x1b[2J', git: { branch: null, files: 0, insertions: 0, deletions: 0 } }, '/h'), '/r?[2J (detached, clean)');
});
