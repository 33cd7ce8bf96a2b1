// The beat lock under attack: a zombie holder does not block the next beat; a holder stalled past the
// staleness limit (SIGSTOP) loses the lock to a second beat, then neither acts nor commits nor releases it.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processState } from '../../src/beat/lock.ts';
import { BIN, makeProfile, type Profile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';

// A decider that logs its start and end and takes $DECIDER_SLEEP seconds; every decision appends to acts.log.
const SLOW = `#!/usr/bin/env bash
dir="$(dirname "$0")"
cat > /dev/null
echo "start $PPID" >> "$dir/decider.log"
sleep "\${DECIDER_SLEEP:-0}"
printf '{"action":"run_shell","cmd":"echo acted-by-$LOOOP_TEST_NAME >> acts.log","journal":"acted-by-%s"}' "$LOOOP_TEST_NAME" > .decision.json
echo "end $LOOOP_TEST_NAME" >> "$dir/decider.log"
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function setup(): Profile {
  const p = makeProfile('looop-lock');
  scriptedRunner(p, { run_shell_env: ['LOOOP_TEST_NAME'] }, SLOW);
  p.run(['tick', '--dry-run']);
  p.writeFile('sensors/today.sh', '#!/bin/sh\necho \'{"signal":{"day":"fixed"}}\'\n', 0o755);
  return p;
}

const deciderLog = (p: Profile) => {
  const path = join(p.root, 'runner', 'decider.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
};
const acts = (p: Profile) => {
  const path = join(p.dataDir, 'acts.log');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
};

function collect(child: ChildProcess): Promise<{ code: number; out: string }> {
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return new Promise((res) => child.on('close', (code) => res({ code: code ?? 128, out })));
}

describe('beat lock', () => {
  const cleanups: Array<() => void> = [];
  after(() => cleanups.forEach((c) => c()));

  it('a zombie holding the lock (killed beat, parent that never reaps) does not block the next beat', async () => {
    const p = setup();
    cleanups.push(() => p.cleanup());
    // bash starts the beat, then becomes `sleep`: the beat's parent never waits for it, so it stays a zombie.
    const parent = spawn('bash', ['-c', `"$0" "$1" tick > /dev/null 2>&1 & echo $!; exec sleep 120`, process.execPath, BIN], {
      env: { ...p.env, DECIDER_SLEEP: '60', LOOOP_TEST_NAME: 'zombie' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(() => parent.kill('SIGKILL'));
    let pidText = '';
    parent.stdout!.on('data', (d) => (pidText += d));
    await until('the first beat to start deciding', () => deciderLog(p).includes('start'));
    const pid = Number(pidText.trim());
    process.kill(pid, 'SIGKILL');
    await until('the killed beat to be a zombie', () => processState(pid) === 'Z');
    assert.ok(existsSync(join(p.dataDir, '.lock')), 'the zombie left its lock behind');

    const next = p.run(['tick'], { env: { LOOOP_TEST_NAME: 'next' } });
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.deepEqual(acts(p), ['acted-by-next']);
    assert.equal(processState(pid), 'Z', 'the holder was a zombie the whole time');
  });

  it('a holder stalled past 5 s loses the lock: it neither acts nor commits nor releases the new holder\'s lock', async () => {
    const p = setup();
    cleanups.push(() => p.cleanup());
    const a = spawn(process.execPath, [BIN, 'tick'], { env: { ...p.env, DECIDER_SLEEP: '9', LOOOP_TEST_NAME: 'A' } });
    cleanups.push(() => a.kill('SIGKILL'));
    const aDone = collect(a);
    await until('A to start deciding', () => deciderLog(p).includes('start'));
    process.kill(a.pid!, 'SIGSTOP');
    // Well past the 5 s staleness limit: the lock is up for grabs.
    await sleep(7000);
    const b = spawn(process.execPath, [BIN, 'tick'], { env: { ...p.env, DECIDER_SLEEP: '8', LOOOP_TEST_NAME: 'B' } });
    cleanups.push(() => b.kill('SIGKILL'));
    const bDone = collect(b);
    await until('B to start deciding', () => (deciderLog(p).match(/start/g) ?? []).length === 2);
    const bOwner = JSON.parse(readFileSync(join(p.dataDir, '.lock-owner'), 'utf8'));
    assert.equal(bOwner.pid, b.pid);
    await until('A\'s decider to finish', () => deciderLog(p).includes('end A'));
    process.kill(a.pid!, 'SIGCONT');
    const ra = await aDone;
    assert.equal(ra.code, 1, ra.out);
    assert.match(ra.out, /beat lock lost/);
    assert.deepEqual(acts(p), [], 'A did not act');
    if (!deciderLog(p).includes('end B')) {
      assert.ok(existsSync(join(p.dataDir, '.lock')), 'A left B\'s lock alone');
      assert.equal(JSON.parse(readFileSync(join(p.dataDir, '.lock-owner'), 'utf8')).pid, b.pid);
    }
    const rb = await bDone;
    assert.equal(rb.code, 0, rb.out);
    assert.doesNotMatch(rb.out, /beat lock lost/);
    assert.deepEqual(acts(p), ['acted-by-B']);
    const log = spawnSync('git', ['-C', p.dataDir, 'log', '--format=%s'], { encoding: 'utf8' }).stdout;
    assert.doesNotMatch(log, /acted-by-A/);
    assert.match(log, /acted-by-B/);
    assert.doesNotMatch(readFileSync(join(p.dataDir, 'journal.md'), 'utf8'), /acted-by-A/);
  });
});
