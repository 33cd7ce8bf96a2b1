// The one beat lock (proper-lockfile on the data dir) shared by `looop tick` and the pulse.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { readJsonOr, writeJsonAtomic } from '../atomic.ts';
import { LockedError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { restoreControl } from './control-files.ts';
import { sleep } from '../proc/sleep.ts';
import { isAlive } from '../proc/alive.ts';

interface Owner {
  pid: number;
  host: string;
  what: string;
  since: string;
  /** Tells this holder's note from a later holder's. */
  token?: string;
}

/** What a beat asks of its lock: whether it still owns it, right before acting and before committing. */
export interface BeatLock {
  /** Null while this beat owns the lock; else why it lost it. */
  lost(): Promise<string | null>;
}

export class LockLostError extends Error {}

// The holder refreshes the lock every 1.5 s; a lock untouched for 5 s belongs to a dead process.
const STALE_MS = 5000;
const UPDATE_MS = 1500;

/** A zombie (killed, never reaped by a parent that does not wait) is dead, though kill(pid, 0) succeeds. */
export const alive = isAlive;

/** The state letter from /proc/<pid>/stat (after the parenthesised name, which may hold spaces), or null. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}

function describe(o: Owner | null): string {
  if (!o) return 'another beat holds the lock';
  return `another beat holds the lock (${o.what}, pid ${o.pid}${o.host !== hostname() ? ` on ${o.host}` : ''}, since ${o.since})`;
}

const readOwner = (paths: Paths) => readJsonOr<Owner | null>(paths.lockOwner, null);

/**
 * Takes the lock, or says who holds it. A holder that died (kill -9) stops refreshing the lock: its
 * staleness is waited out. No owner note means the holder is between taking the lock and noting itself
 * (or between removing its note and releasing), or died right there: waiting resolves each, and the
 * owner is re-read every half second so a live one is named as soon as it notes itself.
 */
async function acquire(paths: Paths, take: () => Promise<() => Promise<void>>): Promise<() => Promise<void>> {
  const deadline = Date.now() + STALE_MS + 2000;
  for (;;) {
    try {
      return await take();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    const owner = readOwner(paths);
    const gone = !owner || (owner.host === hostname() && !isAlive(owner.pid));
    if (!gone || Date.now() > deadline) throw new LockedError(describe(owner));
    await sleep(500);
  }
}

const inode = (path: string): number | null => {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
};

export async function withBeatLock<T>(paths: Paths, what: string, fn: (lock: BeatLock) => Promise<T>, onLost?: (msg: string) => void): Promise<T> {
  let compromised: string | null = null;
  const take = () =>
    lockfile.lock(paths.root, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      retries: 0,
      onCompromised: (err) => {
        compromised = `beat lock lost: ${err.message}`;
        onLost?.(compromised);
      },
    });
  const stray = restoreControl(paths.lock, 'dir');
  if (stray) onLost?.(stray);
  const release = await acquire(paths, take);
  const token = randomBytes(8).toString('hex');
  const ino = inode(paths.lock);
  let noted = false;
  // Ours while proper-lockfile has not given it up, the lock dir is the one we made, and the note is ours.
  const mine = (): string | null => {
    if (compromised) return compromised;
    if (ino === null || inode(paths.lock) !== ino || (noted && readOwner(paths)?.token !== token)) return 'beat lock lost: another beat took it while this one stalled';
    return null;
  };
  const lock: BeatLock = {
    async lost() {
      // After a stall the lock may look stale to others until the next refresh: wait for it, or for the loss.
      const deadline = Date.now() + 2 * UPDATE_MS + 1000;
      for (;;) {
        const why = mine();
        if (why) return why;
        let age = 0;
        try {
          age = Date.now() - statSync(paths.lock).mtimeMs;
        } catch {
          return 'beat lock lost: the lock is gone';
        }
        if (age < STALE_MS - 1000) return null;
        if (Date.now() > deadline) return 'beat lock lost: it went stale while this beat stalled';
        await sleep(200);
      }
    },
  };
  try {
    // Inside the try: when it fails (disk full) the lock must still be released, or a pulse holds it forever.
    writeJsonAtomic(paths.lockOwner, { pid: process.pid, host: hostname(), what, since: new Date().toISOString(), token } satisfies Owner, { durable: false });
    noted = true;
    return await fn(lock);
  } finally {
    // A lock this beat no longer owns belongs to the beat that took it: never release that one.
    if (!mine()) {
      rmSync(paths.lockOwner, { force: true });
      await release().catch(() => undefined);
    } else if (!compromised && readOwner(paths)?.token === token) {
      rmSync(paths.lockOwner, { force: true });
    }
  }
}
