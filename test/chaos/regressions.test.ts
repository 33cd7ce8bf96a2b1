// Regressions for what `npm run chaos` found: each test names the attack and the invariant it broke.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import lockfile from 'proper-lockfile';
import { withBeatLock } from '../../src/beat/lock.ts';
import { layout } from '../../src/paths.ts';
import { BIN, makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import { pulseProfile, startForeground } from '../pulse/harness.ts';

const profiles: Profile[] = [];
after(() => profiles.forEach((p) => p.cleanup()));

function profile(): Profile {
  const p = makeProfile('looop-chaos-reg');
  profiles.push(p);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2)[0]!);
  } catch {
    return false;
  }
}

async function until<T>(fn: () => T | null | undefined | false, ms: number): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) return null;
    await sleep(25);
  }
}

function pidsIn(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('kill -9 of a beat (chaos: kills)', () => {
  it('a sensor still running when its tick is SIGKILLed dies with it, children included', async () => {
    const p = profile();
    scriptedRunner(p);
    p.run(['tick', '--dry-run']);
    const log = join(p.root, 'sensor-pids');
    p.writeFile('sensors/slow.sh', `#!/usr/bin/env bash\nsleep 30 & echo $! >> ${log}\necho $$ >> ${log}\nsleep 30\n`, 0o755);
    const tick = spawn(process.execPath, [BIN, 'tick'], { env: p.env, stdio: 'ignore' });
    const pids = await until(() => pidsIn(log).length === 2 && pidsIn(log), 10_000);
    assert.ok(pids, 'the sensor started');
    tick.kill('SIGKILL');
    assert.ok(await until(() => pids.every((pid) => !alive(pid)), 2000), `sensor pids ${pids} outlived the killed tick`);
  });

  it('a decider still running when its tick is SIGKILLed dies with it', async () => {
    const p = profile();
    const log = join(p.root, 'runner-pids');
    scriptedRunner(p, {}, `#!/usr/bin/env bash\ncat >/dev/null\nsleep 30 & echo $! >> ${log}\necho $$ >> ${log}\nsleep 30\n`);
    const tick = spawn(process.execPath, [BIN, 'tick'], { env: p.env, stdio: 'ignore' });
    const pids = await until(() => pidsIn(log).length === 2 && pidsIn(log), 10_000);
    assert.ok(pids, 'the decider started');
    tick.kill('SIGKILL');
    assert.ok(await until(() => pids.every((pid) => !alive(pid)), 2000), `decider pids ${pids} outlived the killed tick`);
  });
});

describe('a decider that prints forever (chaos: runners)', () => {
  it('is killed at the output cap with a reason that says so; its archive stays bounded', () => {
    const p = profile();
    scriptedRunner(p, { tick_timeout: 600 }, '#!/usr/bin/env bash\ncat >/dev/null\nyes "$(printf \'\\033[31mspam\\033[0m %0100d\' 0)"\n');
    p.run(['tick', '--dry-run']);
    const started = Date.now();
    const r = p.run(['tick'], { timeoutMs: 120_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^looop: beat failed: runner "scripted" printed more than 64 MiB of output: killed with its process group/);
    assert.ok(Date.now() - started < 60_000, 'killed long before tick_timeout');
    const run = r.stderr.match(/run archive: (\S+)\)/)![1]!;
    const size = readFileSync(join(run, 'output.log')).length;
    assert.ok(size <= 64 * 1024 * 1024 + 100, `archive of ${size} bytes`);
  });
});

describe('kill -9 between the action and its journal line (chaos: kills)', () => {
  it('the next beat journals the interrupted action once, so the journal still has one line per action', () => {
    const p = profile();
    // Unsandboxed: a sandboxed run_shell cannot reach looop's process at all (its own PID namespace).
    const r = scriptedRunner(p, { run_shell: 'unsandboxed' });
    p.run(['tick', '--dry-run']);
    // The action itself SIGKILLs its beat: it ran, its journal line was never written.
    r.queue({ action: 'run_shell', cmd: 'touch ran.txt; kill -9 $PPID', reason: 'x', journal: 'touched ran.txt' });
    const killed = p.run(['tick']);
    assert.equal(killed.code, 128, 'the beat died by a signal');
    assert.ok(readFileSync(join(p.dataDir, 'ran.txt')) !== undefined);
    r.queue({ action: 'noop', reason: 'after' });
    const next = p.run(['tick']);
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /previous beat died during its action/);
    const lines = readFileSync(join(p.dataDir, 'journal.md'), 'utf8').split('\n').filter((l) => l.includes('touched ran.txt'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /touched ran\.txt \(interrupted: looop stopped during this run_shell in run \S+; it may not have completed\)$/);
    assert.equal(p.run(['tick']).code, 0);
    assert.equal(readFileSync(join(p.dataDir, 'journal.md'), 'utf8').split('\n').filter((l) => l.includes('touched ran.txt')).length, 1, 'journaled once');
  });

  it('an action that completes leaves no intent behind', () => {
    const p = profile();
    const r = scriptedRunner(p);
    r.queue({ action: 'write_goal', id: 'g', body: 'b' });
    assert.equal(p.run(['tick']).code, 0);
    assert.throws(() => readFileSync(join(p.dataDir, '.acting.json')));
  });
});

/** A 1 MiB tmpfs at `dir` (root with CAP_SYS_ADMIN only); null when mounting is refused. */
function smallDisk(dir: string): (() => void) | null {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return () => void spawnSync('umount', ['-l', dir]);
}

function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler.bin'), 'a');
  try {
    for (;;) writeSync(fd, Buffer.alloc(65536, 1));
  } catch {
    // full
  } finally {
    closeSync(fd);
  }
}

describe('a full disk (chaos: disk)', () => {
  it('a beat that cannot note its lock owner still releases the lock, so a pulse does not wedge', async (t) => {
    const dir = join(profile().root, 'small');
    const unmount = smallDisk(dir);
    if (!unmount) return t.skip('mounting a tmpfs needs root with CAP_SYS_ADMIN');
    try {
      const paths = layout(dir);
      fillDisk(dir);
      await assert.rejects(withBeatLock(paths, 'pulse', async () => 'beat'), /ENOSPC/);
      rmSync(join(dir, 'filler.bin'));
      // The same process (a long-running pulse) beats again once space is back.
      assert.equal(await withBeatLock(paths, 'pulse', async () => 'beat'), 'beat');
    } finally {
      unmount();
    }
  });

  it('fails the beat with a reason naming the file it could not write', (t) => {
    const p = profile();
    const unmount = smallDisk(p.dataDir);
    if (!unmount) return t.skip('mounting a tmpfs needs root with CAP_SYS_ADMIN');
    try {
      const r = scriptedRunner(p);
      assert.equal(p.run(['tick', '--dry-run']).code, 0);
      r.queue({ action: 'write_goal', id: 'big', body: 'x'.repeat(300_000) });
      fillDisk(p.dataDir);
      const res = p.run(['tick']);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`ENOSPC.*${p.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
    } finally {
      unmount();
    }
  });
});

describe('two beats at once (chaos: crowd)', () => {
  it('a tick that finds the lock taken but its owner not yet noted waits and names the holder', async () => {
    const p = profile();
    scriptedRunner(p);
    assert.equal(p.run(['tick', '--dry-run']).code, 0);
    const paths = layout(p.dataDir);
    // Another beat between taking the lock and writing its owner note.
    const release = await lockfile.lock(paths.root, { lockfilePath: paths.lock, realpath: false, stale: 5000, update: 1500 });
    try {
      const tick = p.runAsync(['tick']);
      await sleep(700);
      writeFileSync(paths.lockOwner, JSON.stringify({ pid: process.pid, host: hostname(), what: 'pulse', since: new Date().toISOString() }));
      const r = await tick;
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`another beat holds the lock \\(pulse, pid ${process.pid}, since `));
    } finally {
      await release();
    }
  });
});

describe('two foreground pulses started at once (chaos: crowd)', () => {
  it('one runs the pulse, the other follows it', async () => {
    for (let round = 0; round < 3; round++) {
      const p = pulseProfile();
      profiles.push(p);
      const fgs = [startForeground(p, ['--json']), startForeground(p, ['--json'])];
      try {
        await Promise.all(fgs.map((f) => f.waitFor(/"state":"(up|attached)"/, 20_000)));
        const pulses = p.tmux(['list-windows', '-a', '-F', '#{@looop_role} #{pane_dead}']).split('\n').filter((l) => l === 'pulse 0');
        assert.equal(pulses.length, 1, `round ${round}: live pulses`);
        assert.equal(fgs.filter((f) => /"state":"attached"/.test(f.out())).length, 1, `round ${round}: followers`);
      } finally {
        for (const f of fgs) f.child.kill('SIGTERM');
        await Promise.all(fgs.map((f) => f.exited));
      }
    }
  });
});

describe('fuzzed decisions (chaos: fuzz)', () => {
  it('a refused multi-line run_shell fails the beat with one line on stderr', () => {
    const p = profile();
    const r = scriptedRunner(p);
    r.queue({ action: 'run_shell', cmd: 'echo "multi\nline"; mkfs /dev/null', reason: 'x' });
    const res = p.run(['tick']);
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /run_shell refused by deny rule "mkfs": echo "multi line"; mkfs \/dev\/null/);
  });
});

describe('a tick killed with its process group while committing (chaos: kills)', () => {
  const git = (p: Profile, ...args: string[]) => spawnSync('git', ['-C', p.dataDir, ...args], { encoding: 'utf8' });

  it('the .git/index.lock it leaves does not stop later commits', () => {
    const p = profile();
    const r = scriptedRunner(p);
    r.queue({ action: 'write_goal', id: 'a', body: 'a' }, { action: 'write_goal', id: 'b', body: 'b', journal: 'goal b after the crash' });
    assert.equal(p.run(['tick']).code, 0);
    const lock = join(p.dataDir, '.git', 'index.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const res = p.run(['tick']);
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stdout, /git \w+ failed/);
    assert.match(git(p, 'log', '-1', '--format=%s').stdout, /^goal b after the crash$/m);
  });

  it('a live git holding the lock (a human committing with an editor open) is left alone', async () => {
    const p = profile();
    const r = scriptedRunner(p);
    r.queue({ action: 'write_goal', id: 'a', body: 'a' }, { action: 'write_goal', id: 'b', body: 'b' });
    assert.equal(p.run(['tick']).code, 0);
    p.writeFile('goals/a.md', 'edited by a human\n');
    const editor = p.writeFile('../editor.sh', '#!/bin/sh\nsleep 8\necho "human commit" > "$1"\n', 0o755);
    const human = spawn('git', ['-C', p.dataDir, '-c', 'user.name=h', '-c', 'user.email=h@h', 'commit', '-a', '-q'], { env: { ...process.env, GIT_EDITOR: editor }, stdio: 'ignore' });
    const lock = join(p.dataDir, '.git', 'index.lock');
    await until(() => {
      try {
        return readFileSync(lock) !== undefined;
      } catch {
        return false;
      }
    }, 5000);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const res = p.run(['tick']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /git add failed: fatal: Unable to create '.*index\.lock': File exists\.$/m);
    const done = new Promise((resolve) => human.on('exit', resolve));
    assert.equal(await done, 0, "the human's commit went through");
    assert.match(git(p, 'log', '-1', '--format=%s').stdout, /^human commit$/m);
  });
});
