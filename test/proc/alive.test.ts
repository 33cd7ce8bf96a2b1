import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive } from '../../src/proc/alive.ts';
import { sleep } from '../../src/proc/sleep.ts';

test('a running process is alive; a zombie (exited, not reaped) is dead', async () => {
  assert.equal(isAlive(process.pid), true);
  assert.equal(isAlive(0), false);
  // bash execs into a parent that never reaps its child: the child stays a zombie while the parent sleeps.
  const parent = spawn('bash', ['-c', 'sleep 0.1 & exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await sleep(50);
    const kids = (await import('node:fs')).readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).map(Number).filter(Boolean);
    assert.equal(kids.length, 1);
    const deadline = Date.now() + 30_000;
    while (isAlive(kids[0]!) && Date.now() < deadline) await sleep(50);
    assert.equal(isAlive(kids[0]!), false);
  } finally {
    parent.kill('SIGKILL');
  }
});
