// README's first command, verbatim, as a person on a fresh non-root account would paste it: a login
// shell of a new user, a fresh clone, no ~/.local/bin on PATH yet. Needs root (to make the user).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cleanEnv } from '../helpers/profile.ts';

/** The first indented command of README's "Set up" section. */
function readmeFirstCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Set up'));
  const line = section.split('\n').find((l) => l.startsWith('    '));
  assert.ok(line, 'README shows a set-up command');
  return line.trim();
}

const isRoot = process.getuid?.() === 0;
const hasUseradd = spawnSync('sh', ['-c', 'command -v useradd && command -v su'], { encoding: 'utf8' }).status === 0;
const isRepo = spawnSync('git', ['-C', ROOT, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).status === 0;
const skip = !isRoot ? 'needs root to create a throwaway user' : !hasUseradd ? 'no useradd/su here' : !isRepo ? 'the checkout is not a git clone' : false;

test("README's first command works verbatim for a fresh non-root user in a login shell; a second run changes nothing; uninstall removes it", { skip, timeout: 900_000 }, () => {
  const line = readmeFirstCommand();
  const user = `looopt${process.pid}`;
  const sh = (cmd: string, timeout = 600_000) => spawnSync('su', ['-', user, '-c', cmd], { encoding: 'utf8', env: cleanEnv(), timeout });
  assert.equal(spawnSync('useradd', ['-m', '-s', '/bin/bash', user]).status, 0, 'useradd');
  try {
    const home = spawnSync('sh', ['-c', `getent passwd ${user} | cut -d: -f6`], { encoding: 'utf8' }).stdout.trim();
    const checkout = join(home, 'looop');
    assert.equal(spawnSync('git', ['clone', '--quiet', ROOT, checkout]).status, 0, 'git clone');
    assert.equal(spawnSync('chown', ['-R', `${user}:${user}`, checkout]).status, 0);
    assert.notEqual(sh('command -v looop').status, 0, 'looop is not on PATH before');

    const first = sh(`cd ~/looop && ${line}`);
    assert.equal(first.status, 0, `${line}\n${first.stdout}\n${first.stderr}`);
    assert.match(first.stdout, /demo over/, 'looop demo ran to its end');

    const fresh = sh('looop version');
    assert.match(fresh.stdout, /^looop \d+\.\d+\.\d+/, `a new login shell finds looop: ${fresh.stderr}`);

    const again = sh('cd ~/looop && ./install.sh');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing changed/);

    const gone = sh('cd ~/looop && ./install.sh --uninstall');
    assert.equal(gone.status, 0, gone.stderr);
    assert.notEqual(sh('command -v looop').status, 0, 'looop is gone from new shells');
  } finally {
    spawnSync('pkill', ['-KILL', '-u', user]);
    spawnSync('userdel', ['-r', user], { encoding: 'utf8' });
  }
});
