// A commit killed half-way (Ctrl-C on a tick, systemd stop, timeout(1)) leaves .git/index.lock behind,
// and git then refuses every later commit until a human deletes it. The beat commits under the beat
// lock, so a lock file older than a few seconds that no running git holds is such a leftover.
import { readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STALE_MS = 5000;

/** Is a git process working in this repo right now (a human's `git commit` with its editor open)? Linux only. */
function gitRunsIn(root: string): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return false;
  }
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('git')) continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === root || cwd.startsWith(root + '/')) return true;
    } catch {
      // gone, or not ours to look at
    }
  }
  return false;
}

/** Removes a leftover .git/index.lock; returns true when it did. */
export function clearStaleIndexLock(dataDir: string, now = Date.now()): boolean {
  const lock = join(dataDir, '.git', 'index.lock');
  let age: number;
  try {
    age = now - statSync(lock).mtimeMs;
  } catch {
    return false;
  }
  if (age < STALE_MS || gitRunsIn(realpathSync(dataDir))) return false;
  rmSync(lock, { force: true });
  return true;
}
