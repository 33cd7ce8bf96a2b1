// The one beat lock (proper-lockfile on the data dir) shared by `looop tick` and the pulse.
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { readJsonOr, writeJsonAtomic } from '../atomic.ts';
import { LockedError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { sleep } from '../proc/sleep.ts';
import { isAlive } from '../proc/alive.ts';

interface Owner {
  pid: number;
  host: string;
  what: string;
  since: string;
}

// The holder refreshes the lock every 1.5 s; a lock untouched for 5 s belongs to a dead process.
const STALE_MS = 5000;
const UPDATE_MS = 1500;

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

export async function withBeatLock<T>(paths: Paths, what: string, fn: () => Promise<T>, onLost?: (msg: string) => void): Promise<T> {
  const take = () =>
    lockfile.lock(paths.root, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      retries: 0,
      onCompromised: (err) => onLost?.(`beat lock lost: ${err.message}`),
    });
  const release = await acquire(paths, take);
  try {
    // Inside the try: when it fails (disk full) the lock must still be released, or a pulse holds it forever.
    writeJsonAtomic(paths.lockOwner, { pid: process.pid, host: hostname(), what, since: new Date().toISOString() } satisfies Owner, { durable: false });
    return await fn();
  } finally {
    rmSync(paths.lockOwner, { force: true });
    await release().catch(() => undefined);
  }
}
