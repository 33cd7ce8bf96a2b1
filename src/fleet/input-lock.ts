// One typist per window: two senders never interleave their keystrokes. A lock file holding the
// holder's pid; a lock left by a dead process is taken over.
import { openSync, closeSync, writeSync, readFileSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockedError } from '../errors.ts';
import { isAlive } from './procs.ts';
import { sleep } from '../proc/sleep.ts';

const STALE_MS = 120_000;

function tryTake(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

function isStale(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return true;
    return Date.now() - statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

export async function withInputLock<T>(path: string, fn: () => Promise<T>, waitMs = 30_000): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (!tryTake(path)) {
    if (isStale(path)) rmSync(path, { force: true });
    else if (Date.now() > deadline) throw new LockedError(`another looop is typing into this window (lock ${path})`);
    else await sleep(25);
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
