// One proper-lockfile lock over claims/ serialises every claim, release and reap.
import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import type { Ctx } from '../context.ts';
import { LooopError } from '../errors.ts';

export async function withClaimsLock<T>(ctx: Ctx, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(ctx.paths.claims, { recursive: true });
  let compromised: Error | null = null;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(ctx.paths.claims, {
      realpath: false,
      lockfilePath: ctx.paths.claimsLock,
      // A holder that died leaves the lock; it is reclaimed once its mtime is this old.
      stale: 10_000,
      retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 60, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (err) {
    throw new LooopError(`cannot lock ${ctx.paths.claims}: ${(err as Error).message}; try again`);
  }
  try {
    const value = await fn();
    if (compromised) throw new LooopError(`lost the lock on ${ctx.paths.claims} while working; try again`);
    return value;
  } finally {
    await release().catch(() => undefined);
  }
}
