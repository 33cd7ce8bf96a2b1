// No API key or token ever sits in a process's argv (any local user can read /proc/<pid>/cmdline):
// workers get their environment from a private file their wrapper sources and deletes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fleetProfile, until } from '../fleet/fixture.ts';

const KEY = `sk-ant-CANARY-${randomBytes(8).toString('hex')}`;
const TOKEN = `ghp_CANARY${randomBytes(8).toString('hex')}`;
const p = fleetProfile();
after(() => p.cleanup());
const env = { ANTHROPIC_API_KEY: KEY, GITHUB_TOKEN: TOKEN };

/** Every process on the machine whose argv carries a canary (the test's own env is not argv). */
function argvLeaks(): string[] {
  const leaks: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let argv: string;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (argv.includes(KEY) || argv.includes(TOKEN)) leaks.push(`${pid}: ${argv.replace(/\0/g, ' ')}`);
  }
  return leaks;
}

function paneEnv(id: string): string {
  const pid = p.tmux(['display-message', '-p', '-t', `=looop:${id}`, '#{pane_pid}']).trim();
  return readFileSync(`/proc/${pid}/environ`, 'utf8');
}

test('start and restart: the worker has the keys in its environment, no process has them in argv', async () => {
  const r = p.run(['start-session', 'w1', 'hello', 'sh'], { env });
  assert.equal(r.code, 0, r.stderr);
  await until('the key in the worker env', () => paneEnv('w1').includes(`ANTHROPIC_API_KEY=${KEY}`));
  assert.ok(paneEnv('w1').includes(`GITHUB_TOKEN=${TOKEN}`));
  assert.deepEqual(argvLeaks(), []);
  const r2 = p.run(['restart', 'w1'], { env });
  assert.equal(r2.code, 0, r2.stderr);
  await until('the key after restart', () => paneEnv('w1').includes(`ANTHROPIC_API_KEY=${KEY}`));
  assert.deepEqual(argvLeaks(), []);
  // The env file was consumed: nothing with the key is left in the session folder.
  const left = readdirSync(`${p.dataDir}/sessions/w1`).filter((f) => f.startsWith('.env-'));
  assert.deepEqual(left, []);
});
