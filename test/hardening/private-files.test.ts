// The data dir is private (0700, files 0600), and a link, hard link or FIFO planted in it neither copies a
// private file into a prompt, nor hangs the beat, nor makes looop write outside the data dir.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProfile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

const p = makeProfile('looop-private');
after(() => p.cleanup());
const r = scriptedRunner(p);
const SECRET = 'TOP-SECRET-0600-CONTENT';
const secret = join(p.root, 'secret.txt');
const outside = join(p.root, 'outside-target');

function beat(decision: Record<string, unknown>): string {
  r.queue(decision);
  rmSync(join(p.dataDir, '.tick-backoff'), { force: true });
  const t = p.run(['tick'], { timeoutMs: 60_000 });
  assert.notEqual(t.code, 128, `tick hung or was killed: ${t.stderr}`);
  return t.stdout + t.stderr;
}

const mode = (path: string) => statSync(path).mode & 0o777;

test('with umask 022 the data dir is 0700 and what looop writes is 0600', () => {
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\nprintf \'{"signal":{"n":"%s"}}\\n\' "$(date +%s%N)"\n', 0o755);
  beat({ action: 'write_goal', id: 'g1', body: 'one', journal: 'wrote g1' });
  assert.equal(mode(p.dataDir), 0o700);
  for (const f of ['journal.md', 'goals/g1.md', '.last-world.json', '.gitignore']) assert.equal(mode(join(p.dataDir, f)), 0o600, f);
  const run = readdirSync(join(p.dataDir, 'runs'))[0]!;
  for (const f of ['prompt.md', 'output.log']) assert.equal(mode(join(p.dataDir, 'runs', run, f)), 0o600, `runs/${f}`);
});

test('a symlinked PLAYBOOK, a hard-linked goal and a symlinked journal leak nothing and write nothing outside', () => {
  writeFileSync(secret, `${SECRET}\n`, { mode: 0o600 });
  writeFileSync(outside, 'untouched\n');
  rmSync(join(p.dataDir, 'PLAYBOOK.md'));
  symlinkSync(secret, join(p.dataDir, 'PLAYBOOK.md'));
  linkSync(secret, join(p.dataDir, 'goals', 'leak.md'));
  rmSync(join(p.dataDir, 'journal.md'));
  symlinkSync(outside, join(p.dataDir, 'journal.md'));
  const out = beat({ action: 'noop', reason: 'ok', journal: 'all fine; touch /tmp/x #' });
  assert.match(out, /PLAYBOOK\.md is a symbolic link/);
  assert.match(out, /goals\/leak\.md is hard-linked/);
  assert.equal(readFileSync(outside, 'utf8'), 'untouched\n', 'the journal append followed the link');
  for (const prompt of r.prompts()) assert.ok(!prompt.includes(SECRET), 'the secret reached a prompt');
  const runs = spawnSync('grep', ['-rl', SECRET, join(p.dataDir, 'runs')], { encoding: 'utf8' }).stdout.trim();
  assert.equal(runs.split('\n').filter((l) => l.endsWith('prompt.md')).length, 0, runs);
  rmSync(join(p.dataDir, 'PLAYBOOK.md'));
  rmSync(join(p.dataDir, 'goals', 'leak.md'));
  rmSync(join(p.dataDir, 'journal.md'));
});

test('a FIFO at PLAYBOOK.md or as a goal does not hang the beat: it is named and skipped', () => {
  execFileSync('mkfifo', [join(p.dataDir, 'PLAYBOOK.md'), join(p.dataDir, 'goals', 'pipe.md')]);
  const out = beat({ action: 'write_goal', id: 'g2', body: 'two', journal: 'wrote g2' });
  assert.match(out, /PLAYBOOK\.md is not a regular file/);
  assert.match(out, /goals\/pipe\.md is not a regular file/);
  assert.ok(existsSync(join(p.dataDir, 'goals', 'g2.md')), 'the beat acted');
  const st = p.run(['status']);
  assert.equal(st.code, 0, st.stderr);
});
